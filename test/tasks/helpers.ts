import { EC2ServiceException, type Filter, type Image, type Instance, type Tag } from '@aws-sdk/client-ec2';
import { readFileSync } from 'node:fs';
import { vi } from 'vitest';
import { taskLog } from '../../tasks/_shared/define-task.js';

/** The execution every task test runs in. */
export const EXECUTION_ARN =
  'arn:aws:states:us-east-1:123456789012:execution:lifeboat-shop-backup:backup-20261125T103000Z-3fa1';

/** The `{ task, context, input }` payload the workflows send. */
export function envelope(task: string, input: unknown, overrides: Partial<{ executionArn: string; stateName: string; stateEnteredTime: string; redriveCount: number }> = {}) {
  return {
    task,
    context: {
      executionArn: EXECUTION_ARN,
      stateName: 'Step',
      stateEnteredTime: '2026-11-25T10:31:00.000Z',
      redriveCount: 0,
      ...overrides,
    },
    input,
  };
}

/**
 * An error shaped as the SDK raises it for an EC2 error response: an EC2ServiceException whose
 * name and Code are the EC2 code (the EC2 model declares no error shapes).
 *
 * @see /work/shared/docs/aws-api-reference.md §1.3
 */
export function ec2Error(code: string, httpStatusCode = 400, message = `${code} (test)`): EC2ServiceException {
  const error = new EC2ServiceException({
    name: code,
    $fault: httpStatusCode >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode, requestId: '00000000-0000-4000-8000-000000000000' },
    message,
  });
  Object.assign(error, { Code: code });
  return error;
}

/** Captures the structured log lines instead of printing them. */
export function captureLogs(): string[] {
  const lines: string[] = [];
  vi.spyOn(taskLog, 'write').mockImplementation((line: string) => {
    lines.push(line);
  });
  return lines;
}

/** Reads `test/fixtures/ec2/<op>/<case>.json`. */
export function fixture<T = any>(op: string, name: string): T {
  return JSON.parse(readFileSync(new URL(`../fixtures/ec2/${op}/${name}.json`, import.meta.url), 'utf8')) as T;
}

/** Awaits a promise that must reject, and returns the error. */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the promise to reject');
}

function tagsOf(tags: readonly Tag[] | undefined): Record<string, string> {
  return Object.fromEntries((tags ?? []).map((t) => [t.Key!, t.Value ?? '']));
}

function wildcard(pattern: string, value: string): boolean {
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
  return re.test(value);
}

/**
 * EC2 filter semantics over plain objects: values of one filter OR-ed, filters AND-ed,
 * `*`/`?` wildcards, `tag:<key>`.
 *
 * @see https://docs.aws.amazon.com/AWSEC2/latest/APIReference/Query-Requests.html#Filtering
 */
export function matchesFilters(fields: (name: string) => string | undefined, filters: readonly Filter[] | undefined): boolean {
  return (filters ?? []).every((f) => {
    const value = fields(f.Name!);
    return value !== undefined && (f.Values ?? []).some((v) => wildcard(v, value));
  });
}

/** Image fields addressable by DescribeImages filters. */
export function imageField(image: Image, name: string): string | undefined {
  if (name.startsWith('tag:')) return tagsOf(image.Tags)[name.slice(4)];
  switch (name) {
    case 'name':
      return image.Name;
    case 'state':
      return image.State;
    case 'image-id':
      return image.ImageId;
    case 'source-image-id':
      return image.SourceImageId;
    default:
      throw new Error(`test fake: unsupported DescribeImages filter ${name}`);
  }
}

/** Instance fields addressable by DescribeInstances filters. */
export function instanceField(instance: Instance, name: string): string | undefined {
  if (name.startsWith('tag:')) return tagsOf(instance.Tags)[name.slice(4)];
  switch (name) {
    case 'instance-state-name':
      return instance.State?.Name;
    case 'instance-id':
      return instance.InstanceId;
    case 'client-token':
      return instance.ClientToken;
    default:
      throw new Error(`test fake: unsupported DescribeInstances filter ${name}`);
  }
}

/** A deterministic id: prefix + 17 hex digits from a counter. */
export function fakeId(prefix: string, n: number): string {
  return `${prefix}-${n.toString(16).padStart(17, '0')}`;
}

/** The backup execution whose recovery-point time is `time` (one run per time in these tests). */
export const recoveryPointRunArn = (time: string) =>
  `arn:aws:states:us-east-1:123456789012:execution:lifeboat-shop-backup:backup-${time.replace(/[-:.]/g, '')}`;

/**
 * A recovery point of plan 'shop' in the recovery region, tagged as backup tags it;
 * `setSize` is the seal `prune` puts on a finished run's points (absent: unsealed).
 */
export function recoveryPoint(
  imageId: string,
  workload: string,
  source: string,
  time: string,
  { setSize, isVerified = true, state = 'available' }: { setSize?: number; isVerified?: boolean; state?: string } = {},
): Image {
  return {
    ImageId: imageId,
    State: state as Image['State'],
    Tags: [
      { Key: 'lifeboat:plan', Value: 'shop' },
      { Key: 'lifeboat:role', Value: 'recovery-point' },
      { Key: 'lifeboat:workload', Value: workload },
      { Key: 'lifeboat:source-instance', Value: source },
      { Key: 'lifeboat:execution-arn', Value: recoveryPointRunArn(time) },
      { Key: 'lifeboat:recovery-point-time', Value: time },
      ...(isVerified ? [{ Key: 'lifeboat:verified', Value: 'true' }] : []),
      ...(setSize !== undefined ? [{ Key: 'lifeboat:set-size', Value: String(setSize) }] : []),
    ],
  };
}

/**
 * A fleet of `count` workloads `w0…` for the RPO report tests (issue 8): every third is critical;
 * those ending in 3 were last backed up at 06:30 (the oldest set), those ending in 9 never (all
 * optional), the others at 10:30; one sealed recovery point each.
 */
export function rpoFleet(count: number): { workloads: { name: string; isCritical: boolean }[]; images: Image[]; oldest: string[]; newest: string[]; missing: string[] } {
  const workloads: { name: string; isCritical: boolean }[] = [];
  const images: Image[] = [];
  const oldest: string[] = [];
  const newest: string[] = [];
  const missing: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const name = `w${i}`;
    workloads.push({ name, isCritical: i % 3 === 0 && i % 10 !== 9 });
    if (i % 10 === 9) {
      missing.push(name);
      continue;
    }
    const time = i % 10 === 3 ? '2026-11-25T06:30:00.000Z' : '2026-11-25T10:30:00.000Z';
    (i % 10 === 3 ? oldest : newest).push(name);
    const hex = i.toString(16).padStart(17, '0');
    images.push(recoveryPoint(`ami-${hex}`, name, `i-${hex}`, time, { setSize: 1 }));
  }
  return { workloads, images, oldest, newest, missing };
}
