import { createHash } from 'node:crypto';
import { Ec2Error } from './errors.js';
import type { QueryParams } from './query.js';

const ID_KINDS = {
  ami: { code: 'InvalidAMIID.Malformed' },
  i: { code: 'InvalidInstanceID.Malformed' },
  snap: { code: 'InvalidSnapshotID.Malformed' },
  subnet: { code: 'InvalidSubnetID.Malformed' },
  sg: { code: 'InvalidGroupId.Malformed' },
  lt: { code: 'InvalidLaunchTemplateId.Malformed' },
} as const;

/**
 * Checks an id is the prefix plus 8 or 17 lowercase hex digits, else the `.Malformed` code AWS uses.
 * @see https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/resource-ids.html
 */
export function checkId(kind: keyof typeof ID_KINDS, id: string): void {
  if (!new RegExp(`^${kind}-([0-9a-f]{8}|[0-9a-f]{17})$`).test(id)) {
    throw new Ec2Error(ID_KINDS[kind].code, `Invalid id: "${id}" (expecting "${kind}-..." with 8 or 17 lowercase hex digits)`);
  }
}

/**
 * The parameters that make two calls "the same" for ClientToken idempotency: everything but the
 * token itself and DryRun, in a canonical order, as a SHA-256 digest (a region keeps one per token
 * for as long as it runs, and the parameters of a call with tags run to kilobytes).
 * @see https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-idempotency.html
 */
export function fingerprint(p: QueryParams): string {
  return createHash('sha256').update(canonicalParams(p)).digest('base64');
}

/**
 * True when a token's stored fingerprint is this call's: the digest, or the parameters' text itself
 * as data directories written before the digest kept it.
 */
export function isSameCall(stored: string, p: QueryParams, print = fingerprint(p)): boolean {
  return stored === print || stored === canonicalParams(p);
}

function canonicalParams(p: QueryParams): string {
  return p
    .entries()
    .filter(([k]) => k !== 'ClientToken' && k !== 'DryRun' && k !== 'Version')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}

/** Checks a ClientToken's length (≤ 64 ASCII characters). */
export function checkClientToken(token: string): void {
  if (token.length > 64 || !/^[\x20-\x7e]*$/.test(token)) {
    throw new Ec2Error('InvalidParameterValue', `Value (${token}) for parameter clientToken is invalid. Expected at most 64 ASCII characters.`);
  }
}

/** The error for a reused ClientToken whose parameters differ. */
export function idempotentMismatch(token: string): Ec2Error {
  return new Ec2Error('IdempotentParameterMismatch', `Arguments on this idempotent request are inconsistent with arguments used in previous request(s) with client token '${token}'.`);
}

/**
 * AMI names: 3–128 characters, letters, digits and `( ) [ ] space . / - ' @ _`.
 * @see https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateImage.html
 */
export function checkImageName(name: string): void {
  if (name.length < 3 || name.length > 128 || !/^[A-Za-z0-9()[\] ./\-'@_]+$/.test(name)) {
    throw new Ec2Error(
      'InvalidAMIName.Malformed',
      `AMI names must be between 3 and 128 characters long, and may contain letters, numbers, '(', ')', '.', '-', '/' and '_' (found ${JSON.stringify(name)})`,
    );
  }
}
