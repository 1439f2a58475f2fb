import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Asset } from 'aws-cdk-lib/aws-s3-assets';
import { Construct } from 'constructs';
import type { Plan } from '../../schemas/plan.js';
import type { TaskId } from '../../schemas/tasks/index.js';
import { planObjects, type PlanObject } from '../../workflows/render.js';

/** Properties of {@link PlanTables}. */
export interface PlanTablesProps {
  /** The parsed plan. */
  readonly plan: Plan;
  /** The stack's region (the tables of this region's workflows). */
  readonly region: string;
}

/** The definition substitution key of one table's object key. */
const keyOf = (object: PlanObject) => `PlanTable_${object.sha256.slice(0, 16)}`;
/** The definition substitution key of the assets bucket. */
const BUCKET_KEY = 'PlanTableBucket';

/**
 * A distributed plan's workload tables of one region, as CDK file assets (docs/decisions/0021):
 * `cdk deploy` uploads each to the bootstrap assets bucket under a key derived from its content,
 * before the stack, with no Lambda, no Docker and no credentials at synth. The definitions name
 * each table by bucket, key and SHA-256 ({@link PlanTables.at}, substituted at deploy), so a
 * redeploy of a changed plan adds a new object and a running execution keeps reading its own.
 *
 * The tasks that read a table get `s3:GetObject` on that one object ({@link PlanTables.grantReaders}).
 * The bootstrap bucket's default encryption (SSE-KMS with the AWS managed key) needs no key grant;
 * a bootstrap customized with a customer managed key must grant its use to the task roles.
 *
 * @see https://docs.aws.amazon.com/cdk/v2/guide/assets.html
 */
export class PlanTables extends Construct {
  /** The assets, by the table's SHA-256. */
  private readonly assets = new Map<string, Asset>();
  /** Task and table pairs already granted (a task in two machines gets one statement). */
  private readonly granted = new Set<string>();

  public constructor(scope: Construct, id: string, props: PlanTablesProps) {
    super(scope, id);
    const objects = planObjects(props.plan).filter((o) => o.region === props.region);
    if (objects.length === 0) return;
    const dir = mkdtempSync(join(tmpdir(), 'lifeboat-plan-tables-'));
    for (const object of objects) {
      const path = join(dir, `${object.sha256}.json`);
      writeFileSync(path, object.body, 'utf8');
      this.assets.set(object.sha256, new Asset(this, `Table${object.sha256.slice(0, 16)}`, { path }));
    }
  }

  /** True when the plan stores tables in this region (a distributed plan). */
  public get isEmpty(): boolean {
    return this.assets.size === 0;
  }

  /** Where a rendered definition finds a table: `RenderOptions.planObjectAt` (CDK substitutions). */
  public readonly at = (object: PlanObject): { bucket: string; key: string } => {
    if (!this.assets.has(object.sha256)) throw new Error(`infra › plan tables: expected an asset for table ${object.sha256} (${object.region}), found none`);
    return { bucket: '${' + BUCKET_KEY + '}', key: '${' + keyOf(object) + '}' };
  };

  /** The definition substitutions of the tables a definition names (empty when it names none). */
  public substitutions(definitionJson: string): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [sha256, asset] of this.assets) {
      const key = keyOf({ sha256 } as PlanObject);
      if (!definitionJson.includes('${' + key + '}')) continue;
      out[key] = asset.s3ObjectKey;
      out[BUCKET_KEY] = asset.s3BucketName;
    }
    return out;
  }

  /**
   * Lets each task a definition hands a stored table read that one object (`s3:GetObject`, no
   * wildcard), and nothing else of the assets bucket.
   */
  public grantReaders(definition: object, functions: ReadonlyMap<TaskId, IFunction>): void {
    for (const { task, sha256 } of storedInputsOf(definition)) {
      const asset = this.assets.get(sha256);
      const fn = functions.get(task);
      if (asset === undefined || fn === undefined || this.granted.has(`${task}/${sha256}`)) continue;
      this.granted.add(`${task}/${sha256}`);
      fn.addToRolePolicy(new PolicyStatement({ sid: `ReadPlanTable${sha256.slice(0, 8)}`, actions: ['s3:GetObject'], resources: [asset.bucket.arnForObjects(asset.s3ObjectKey)] }));
    }
  }
}

/** Every task of a definition that takes a stored input, with the table's SHA-256. */
function storedInputsOf(definition: object): { task: TaskId; sha256: string }[] {
  const found: { task: TaskId; sha256: string }[] = [];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(visit);
    if (typeof value !== 'object' || value === null) return;
    const payload = value as { task?: unknown; storedInput?: { sha256?: unknown } };
    if (typeof payload.task === 'string' && typeof payload.storedInput?.sha256 === 'string') {
      found.push({ task: payload.task as TaskId, sha256: payload.storedInput.sha256 });
    }
    Object.values(value).forEach(visit);
  };
  visit(definition);
  return found;
}
