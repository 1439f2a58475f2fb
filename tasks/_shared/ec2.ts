import {
  DescribeImagesCommand,
  type DescribeImagesCommandInput,
  DescribeInstancesCommand,
  type DescribeInstancesCommandInput,
  DescribeInstanceStatusCommand,
  DescribeSnapshotsCommand,
  type EC2Client,
  type Filter,
  type Image,
  type Instance,
  type InstanceStatus,
  type Snapshot,
} from '@aws-sdk/client-ec2';
import { chunk } from './tags.js';

/*
 * Paginated Describe* helpers. Each page is one call: a throttled page throws, and the
 * workflow retries the whole (idempotent) task.
 */

/**
 * Values per filter in one call. Conservative: the EC2 pagination guide advises no more than
 * 1,000 ids per call (https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-pagination.html)
 * and filter value lists are kept well below that.
 */
export const MAX_FILTER_VALUES = 200;

/** A filter list from `{ name: values }`, leaving out undefined entries. */
export function filters(spec: Record<string, readonly string[] | string | undefined>): Filter[] {
  return Object.entries(spec)
    .filter(([, values]) => values !== undefined)
    .map(([Name, values]) => ({ Name, Values: typeof values === 'string' ? [values] : [...(values as string[])] }));
}

/** Every image matching `input`, across pages. */
export async function describeImages(ec2: EC2Client, input: DescribeImagesCommandInput): Promise<Image[]> {
  const out: Image[] = [];
  let NextToken: string | undefined;
  do {
    const page = await ec2.send(new DescribeImagesCommand({ ...input, NextToken }));
    out.push(...(page.Images ?? []));
    NextToken = page.NextToken || undefined;
  } while (NextToken);
  return out;
}

/** Images owned by this account whose `filterName` is one of `values` (chunked to EC2's filter limit). */
export async function describeOwnImagesBy(
  ec2: EC2Client,
  filterName: string,
  values: readonly string[],
  extra: Filter[] = [],
): Promise<Image[]> {
  const out: Image[] = [];
  for (const part of chunk([...new Set(values)], MAX_FILTER_VALUES)) {
    out.push(...(await describeImages(ec2, { Owners: ['self'], Filters: [{ Name: filterName, Values: part }, ...extra] })));
  }
  return out;
}

/** Instances whose `filterName` is one of `values` (chunked to {@link MAX_FILTER_VALUES} per call). */
export async function describeInstancesBy(ec2: EC2Client, filterName: string, values: readonly string[]): Promise<Instance[]> {
  const out: Instance[] = [];
  for (const part of chunk([...new Set(values)], MAX_FILTER_VALUES)) {
    out.push(...(await describeInstances(ec2, { Filters: [{ Name: filterName, Values: part }] })));
  }
  return out;
}

/** Every instance matching `input`, across pages and reservations. */
export async function describeInstances(ec2: EC2Client, input: DescribeInstancesCommandInput): Promise<Instance[]> {
  const out: Instance[] = [];
  let NextToken: string | undefined;
  do {
    const page = await ec2.send(new DescribeInstancesCommand({ ...input, NextToken }));
    for (const reservation of page.Reservations ?? []) out.push(...(reservation.Instances ?? []));
    NextToken = page.NextToken || undefined;
  } while (NextToken);
  return out;
}

/** Snapshots by id, 200 per call (explicit unknown ids fail the call with `InvalidSnapshot.NotFound`). */
export async function describeSnapshots(ec2: EC2Client, snapshotIds: readonly string[]): Promise<Snapshot[]> {
  const out: Snapshot[] = [];
  for (const part of chunk([...new Set(snapshotIds)], MAX_FILTER_VALUES)) {
    let NextToken: string | undefined;
    do {
      const page = await ec2.send(new DescribeSnapshotsCommand({ SnapshotIds: part, NextToken }));
      out.push(...(page.Snapshots ?? []));
      NextToken = page.NextToken || undefined;
    } while (NextToken);
  }
  return out;
}

/** Status of the given instances, 100 per call, including non-running ones. */
export async function describeInstanceStatus(ec2: EC2Client, instanceIds: readonly string[]): Promise<InstanceStatus[]> {
  const out: InstanceStatus[] = [];
  // DescribeInstanceStatus takes at most 100 explicit instance ids per call.
  for (const part of chunk([...new Set(instanceIds)], 100)) {
    let NextToken: string | undefined;
    do {
      const page = await ec2.send(
        new DescribeInstanceStatusCommand({ InstanceIds: part, IncludeAllInstances: true, NextToken }),
      );
      out.push(...(page.InstanceStatuses ?? []));
      NextToken = page.NextToken || undefined;
    } while (NextToken);
  }
  return out;
}

/** The snapshot ids behind an image's EBS block device mappings. */
export function snapshotIdsOf(image: Image): string[] {
  return (image.BlockDeviceMappings ?? [])
    .map((mapping) => mapping.Ebs?.SnapshotId)
    .filter((id): id is string => typeof id === 'string');
}
