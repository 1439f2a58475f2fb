/**
 * The AWS regions a plan may name. A plan is checked against this list so that a typo such as
 * `us-east-9` is refused by `lifeboat plan check` rather than found at deploy time.
 *
 * Kept by hand: when AWS opens a region, add it here (and the sandbox serves it once its own list
 * has it).
 *
 * @see https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-regions.html
 * @see https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-region-billing-codes.html
 */

/** Every region of the commercial partition (`aws`), grouped by geography. */
export const COMMERCIAL_REGIONS = [
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'ca-central-1',
  'ca-west-1',
  'mx-central-1',
  'sa-east-1',
  'af-south-1',
  'ap-east-1',
  'ap-east-2',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ap-south-1',
  'ap-south-2',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-southeast-3',
  'ap-southeast-4',
  'ap-southeast-5',
  'ap-southeast-6',
  'ap-southeast-7',
  'eu-central-1',
  'eu-central-2',
  'eu-north-1',
  'eu-south-1',
  'eu-south-2',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'il-central-1',
  'me-central-1',
  'me-south-1',
] as const;

/** Regions of the AWS GovCloud (US) and China partitions: real, but outside the commercial partition. */
export const OTHER_PARTITION_REGIONS = ['us-gov-east-1', 'us-gov-west-1', 'cn-north-1', 'cn-northwest-1'] as const;

/** Every region a plan may name. */
export const KNOWN_REGIONS: readonly string[] = [...COMMERCIAL_REGIONS, ...OTHER_PARTITION_REGIONS];

/** True when `name` is a region AWS has (commercial, GovCloud or China). */
export function isKnownRegion(name: string): boolean {
  return KNOWN_REGIONS.includes(name);
}
