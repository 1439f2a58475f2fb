import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { Plan } from '../../schemas/plan.js';

/** Properties of {@link RunBucket}. */
export interface RunBucketProps {
  /** The parsed plan. */
  readonly plan: Plan;
}

/** How long a run's item lists and results stay: as long as Step Functions keeps a closed execution's history. */
export const RUN_OBJECT_DAYS = 90;

/**
 * The run bucket of one region: where distributed runs keep the item lists of their Distributed
 * Maps (written by the resolve tasks), the Maps' results (written by Step Functions) and the
 * consolidated lists (written by `summarize-results`), all under `runs/<state machine>/<execution>/`.
 *
 * Encrypted with S3-managed keys (the Step Functions role then needs no KMS grant for ItemReader
 * and ResultWriter), every public access blocked, TLS only, bucket-owner objects, and every object
 * expired after {@link RUN_OBJECT_DAYS} days; incomplete uploads are aborted after a day. It holds
 * instance ids, AMI ids and workload names, never secrets.
 *
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/input-output-resultwriter.html (IAM for ResultWriter)
 */
export class RunBucket extends Construct {
  /** The bucket. */
  public readonly bucket: Bucket;

  public constructor(scope: Construct, id: string, props: RunBucketProps) {
    super(scope, id);
    this.bucket = new Bucket(this, 'Bucket', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: false,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [
        { id: 'expire-runs', prefix: 'runs/', expiration: Duration.days(RUN_OBJECT_DAYS), abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
    });
    // Server access logs would need a second bucket for scratch data that expires; who read or
    // wrote it is in CloudTrail (the state machine and task roles are the only writers).
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason: `Lifeboat ${props.plan.name}: run scratch data (item lists and results, expired after ${RUN_OBJECT_DAYS} days); access is audited by CloudTrail`,
    });
  }
}
