/**
 * The AWS commercial regions (partition `aws`) the sandbox can serve, and whether an account
 * must opt in to each. Regions launched before 20 March 2019 are enabled in every account; later
 * ones are opt-in. The sandbox's account has opted in to all of them, so `DescribeRegions` lists
 * every served region (`opt-in-not-required` or `opted-in`), as AWS does for such an account.
 *
 * @see https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-regions.html
 * @see https://docs.aws.amazon.com/accounts/latest/reference/manage-acct-regions.html
 */

/** A commercial region and whether accounts must opt in to it. */
export interface RegionInfo {
  readonly name: string;
  readonly isOptIn: boolean;
}

/** Enabled in every account (launched before 20 March 2019). */
const DEFAULT_ENABLED = [
  'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'ca-central-1', 'sa-east-1',
  'eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-central-1', 'eu-north-1',
  'ap-south-1', 'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3', 'ap-southeast-1', 'ap-southeast-2',
];

/** Opt-in regions (launched after 20 March 2019). */
const OPT_IN = [
  'af-south-1', 'ap-east-1', 'ap-east-2', 'ap-south-2', 'ap-southeast-3', 'ap-southeast-4', 'ap-southeast-5', 'ap-southeast-6',
  'ap-southeast-7', 'ca-west-1', 'eu-central-2', 'eu-south-1', 'eu-south-2', 'il-central-1', 'me-central-1', 'me-south-1', 'mx-central-1',
];

/** Every commercial region, default-enabled ones first. */
export const COMMERCIAL_REGIONS: readonly RegionInfo[] = [
  ...DEFAULT_ENABLED.map((name) => ({ name, isOptIn: false })),
  ...OPT_IN.map((name) => ({ name, isOptIn: true })),
];

/** The names of every commercial region. */
export const COMMERCIAL_REGION_NAMES: readonly string[] = COMMERCIAL_REGIONS.map((r) => r.name);

const BY_NAME = new Map(COMMERCIAL_REGIONS.map((r) => [r.name, r]));

/** The region's entry, if it is a commercial region. */
export function regionInfo(name: string): RegionInfo | undefined {
  return BY_NAME.get(name);
}

/**
 * Checks a list of regions to serve: at least one, each a commercial region, no repeats.
 *
 * @throws RangeError naming `where`, each unknown region, and the known ones.
 */
export function checkRegions(regions: readonly unknown[], where: string): string[] {
  if (regions.length === 0) throw new RangeError(`${where}: expected at least one region, found []`);
  const unknown = regions.filter((r) => typeof r !== 'string' || !BY_NAME.has(r));
  if (unknown.length > 0) {
    throw new RangeError(`${where}: ${unknown.map((r) => JSON.stringify(r)).join(', ')} ${unknown.length === 1 ? 'is not an AWS commercial region' : 'are not AWS commercial regions'}; expected some of ${COMMERCIAL_REGION_NAMES.join(', ')}`);
  }
  return [...new Set(regions as string[])];
}
