/**
 * Bucket and object subresources (`?cors`, `?policy`, `?tagging`, `?versioning`, `?acl`, …): what
 * S3 answers for a bucket with nothing configured (its not-found error, or its default document),
 * and PUT/DELETE that store and remove what was set, validated as S3 validates them.
 *
 * Each GET answer cites the operation's page of the S3 API reference
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_<Operation>.html).
 */
import { invalidArgument, malformedXml, methodNotAllowed, S3Error } from './errors.js';
import type { Bucket, S3Model } from './model.js';
import { document, el } from './rest.js';
import { child, childrenNamed, childText, innerXml, parseXml, type XmlNode } from './xml.js';
import type { ServiceResponse } from '../service.js';

/** How one bucket subresource behaves. */
interface BucketSubresource {
  /** Root element of the PUT body and of the GET answer. */
  readonly root: string;
  /** The GET answer's inner XML when nothing was put (absent: GET answers `missing`). */
  readonly defaultInner?: (b: Bucket) => string;
  /** The GET error when nothing was put (or after DELETE). */
  readonly missing?: (b: Bucket) => S3Error;
  /** Checks a PUT body (already parsed, root checked); throws S3's error. */
  readonly validate?: (node: XmlNode, b: Bucket, model: S3Model) => void;
  /** True when DELETE removes it (absent: DELETE is MethodNotAllowed). */
  readonly deletable?: boolean;
  /** The PUT's status when it is not 200 (PutBucketTagging answers 204). */
  readonly putStatus?: number;
}

const notFound = (code: string, message: string) => (b: Bucket): S3Error => new S3Error(code, message, 404, { BucketName: b.name });

const oneOf = (value: string | undefined, allowed: readonly string[]): void => {
  if (value === undefined || !allowed.includes(value)) throw malformedXml();
};

/**
 * The bucket subresources, keyed by query parameter.
 * Defaults follow S3 as of 2023: new buckets are encrypted with SSE-S3, have all four Block Public
 * Access settings on and Object Ownership `BucketOwnerEnforced` (ACLs disabled).
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/create-bucket-overview.html
 */
export const BUCKET_SUBRESOURCES: Readonly<Record<string, BucketSubresource>> = {
  // API_GetBucketCors: NoSuchCORSConfiguration when none is set.
  cors: {
    root: 'CORSConfiguration',
    missing: notFound('NoSuchCORSConfiguration', 'The CORS configuration does not exist'),
    deletable: true,
    validate(node) {
      const rules = childrenNamed(node, 'CORSRule');
      if (rules.length === 0 || rules.length > 100) throw malformedXml();
      for (const rule of rules) {
        const methods = childrenNamed(rule, 'AllowedMethod').map((m) => m.text);
        if (methods.length === 0 || childrenNamed(rule, 'AllowedOrigin').length === 0) throw malformedXml();
        const bad = methods.find((m) => !['GET', 'PUT', 'HEAD', 'POST', 'DELETE'].includes(m));
        if (bad !== undefined) throw new S3Error('InvalidRequest', `Found unsupported HTTP method in CORS config. Unsupported method is ${bad}`, 400);
      }
    },
  },
  // API_GetBucketLifecycleConfiguration: NoSuchLifecycleConfiguration when none is set.
  lifecycle: {
    root: 'LifecycleConfiguration',
    missing: notFound('NoSuchLifecycleConfiguration', 'The lifecycle configuration does not exist'),
    deletable: true,
    validate(node) {
      const rules = childrenNamed(node, 'Rule');
      if (rules.length === 0 || rules.length > 1000) throw malformedXml();
      const ids = new Set<string>();
      for (const rule of rules) {
        oneOf(childText(rule, 'Status'), ['Enabled', 'Disabled']);
        const id = childText(rule, 'ID');
        if (id !== undefined && id.length > 255) throw invalidArgument('ID length should not exceed allowed limit of 255', 'ID', id);
        if (id !== undefined && ids.has(id)) throw invalidArgument('Rule ID must be unique. Found same ID for more than one rule', 'ID', id);
        if (id !== undefined) ids.add(id);
        const actions = ['Expiration', 'Transition', 'NoncurrentVersionExpiration', 'NoncurrentVersionTransition', 'AbortIncompleteMultipartUpload'];
        if (!rule.children.some((c) => actions.includes(c.name))) throw new S3Error('InvalidRequest', 'At least one action needs to be specified in a rule', 400);
      }
    },
  },
  // API_GetBucketWebsite: NoSuchWebsiteConfiguration when none is set.
  website: {
    root: 'WebsiteConfiguration',
    missing: notFound('NoSuchWebsiteConfiguration', 'The specified bucket does not have a website configuration'),
    deletable: true,
    validate(node) {
      if (child(node, 'RedirectAllRequestsTo') === undefined && !child(node, 'IndexDocument')?.children.some((c) => c.name === 'Suffix' && c.text !== '')) {
        throw invalidArgument('A value for IndexDocument Suffix must be provided if RedirectAllRequestsTo is empty', 'IndexDocument', '');
      }
    },
  },
  // API_GetBucketTagging: NoSuchTagSet when the bucket has no tags.
  tagging: {
    root: 'Tagging',
    missing: notFound('NoSuchTagSet', 'The TagSet does not exist'),
    deletable: true,
    putStatus: 204,
    validate(node) { parseTagSet(node, 50); },
  },
  // API_GetBucketVersioning: an empty VersioningConfiguration until versioning was ever set.
  versioning: {
    root: 'VersioningConfiguration',
    defaultInner: () => '',
    validate(node) {
      oneOf(childText(node, 'Status'), ['Enabled', 'Suspended']);
      const mfa = childText(node, 'MfaDelete');
      if (mfa !== undefined) oneOf(mfa, ['Enabled', 'Disabled']);
    },
  },
  // API_GetBucketEncryption: SSE-S3 (AES256) by default since January 2023; DELETE restores it.
  encryption: {
    root: 'ServerSideEncryptionConfiguration',
    defaultInner: () => '<Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>AES256</SSEAlgorithm></ApplyServerSideEncryptionByDefault><BucketKeyEnabled>false</BucketKeyEnabled></Rule>',
    deletable: true,
    validate(node) {
      const rules = childrenNamed(node, 'Rule');
      if (rules.length !== 1) throw malformedXml();
      const by = child(rules[0]!, 'ApplyServerSideEncryptionByDefault');
      if (!by) throw malformedXml();
      const algorithm = childText(by, 'SSEAlgorithm');
      oneOf(algorithm, ['AES256', 'aws:kms', 'aws:kms:dsse']);
      const key = childText(by, 'KMSMasterKeyID');
      if (key !== undefined && algorithm === 'AES256') throw invalidArgument('a KMSMasterKeyID is not applicable if the default sse algorithm is not aws:kms or aws:kms:dsse', 'ApplyServerSideEncryptionByDefault', '');
      const bucketKey = childText(rules[0]!, 'BucketKeyEnabled');
      if (bucketKey !== undefined) oneOf(bucketKey, ['true', 'false']);
    },
  },
  // API_GetPublicAccessBlock: all four settings on for buckets created since April 2023; after
  // DeletePublicAccessBlock, NoSuchPublicAccessBlockConfiguration.
  publicAccessBlock: {
    root: 'PublicAccessBlockConfiguration',
    defaultInner: () => '<BlockPublicAcls>true</BlockPublicAcls><IgnorePublicAcls>true</IgnorePublicAcls><BlockPublicPolicy>true</BlockPublicPolicy><RestrictPublicBuckets>true</RestrictPublicBuckets>',
    missing: notFound('NoSuchPublicAccessBlockConfiguration', 'The public access block configuration was not found'),
    deletable: true,
    validate(node) {
      const names = ['BlockPublicAcls', 'IgnorePublicAcls', 'BlockPublicPolicy', 'RestrictPublicBuckets'];
      for (const c of node.children) {
        if (!names.includes(c.name)) throw malformedXml();
        oneOf(c.text, ['true', 'false']);
      }
    },
  },
  // API_GetBucketOwnershipControls: BucketOwnerEnforced for buckets created since April 2023;
  // after DeleteBucketOwnershipControls, OwnershipControlsNotFoundError.
  ownershipControls: {
    root: 'OwnershipControls',
    defaultInner: () => '<Rule><ObjectOwnership>BucketOwnerEnforced</ObjectOwnership></Rule>',
    missing: notFound('OwnershipControlsNotFoundError', 'The bucket ownership controls were not found'),
    deletable: true,
    validate(node) {
      const rules = childrenNamed(node, 'Rule');
      if (rules.length !== 1) throw malformedXml();
      oneOf(childText(rules[0]!, 'ObjectOwnership'), ['BucketOwnerEnforced', 'BucketOwnerPreferred', 'ObjectWriter']);
    },
  },
  // API_GetBucketReplication: ReplicationConfigurationNotFoundError when none is set.
  replication: {
    root: 'ReplicationConfiguration',
    missing: notFound('ReplicationConfigurationNotFoundError', 'The replication configuration was not found'),
    deletable: true,
    validate(node, b) {
      if (childText(node, 'Role') === undefined || childrenNamed(node, 'Rule').length === 0) throw malformedXml();
      for (const rule of childrenNamed(node, 'Rule')) {
        oneOf(childText(rule, 'Status'), ['Enabled', 'Disabled']);
        if (child(rule, 'Destination') === undefined || childText(child(rule, 'Destination')!, 'Bucket') === undefined) throw malformedXml();
      }
      if (versioningStatus(b) !== 'Enabled') throw new S3Error('InvalidRequest', "Versioning must be 'Enabled' on the bucket to apply a replication configuration", 400);
    },
  },
  // API_GetObjectLockConfiguration: ObjectLockConfigurationNotFoundError when none is set.
  'object-lock': {
    root: 'ObjectLockConfiguration',
    missing: notFound('ObjectLockConfigurationNotFoundError', 'Object Lock configuration does not exist for this bucket'),
    validate(node, b) {
      oneOf(childText(node, 'ObjectLockEnabled'), ['Enabled']);
      const retention = child(child(child(node, 'Rule') ?? node, 'DefaultRetention') ?? node, 'Mode');
      if (retention !== undefined) oneOf(retention.text, ['GOVERNANCE', 'COMPLIANCE']);
      if (versioningStatus(b) !== 'Enabled') throw new S3Error('InvalidBucketState', 'Versioning must be \'Enabled\' on the bucket to apply a Object Lock configuration', 409);
    },
  },
  // API_GetBucketNotificationConfiguration: an empty NotificationConfiguration by default.
  notification: { root: 'NotificationConfiguration', defaultInner: () => '' },
  // API_GetBucketLogging: an empty BucketLoggingStatus (logging off) by default.
  logging: {
    root: 'BucketLoggingStatus',
    defaultInner: () => '',
    validate(node, _b, model) {
      const enabled = child(node, 'LoggingEnabled');
      if (!enabled) return;
      const target = childText(enabled, 'TargetBucket');
      if (target === undefined || childText(enabled, 'TargetPrefix') === undefined) throw malformedXml();
      try {
        model.bucket(target);
      } catch {
        throw new S3Error('InvalidTargetBucketForLogging', 'The target bucket for logging does not exist', 400, { TargetBucket: target });
      }
    },
  },
  // API_GetBucketRequestPayment: the bucket owner pays by default.
  requestPayment: {
    root: 'RequestPaymentConfiguration',
    defaultInner: () => '<Payer>BucketOwner</Payer>',
    validate(node) { oneOf(childText(node, 'Payer'), ['BucketOwner', 'Requester']); },
  },
  // API_GetBucketAccelerateConfiguration: an empty AccelerateConfiguration until it was ever set.
  accelerate: {
    root: 'AccelerateConfiguration',
    defaultInner: () => '',
    validate(node, b) {
      oneOf(childText(node, 'Status'), ['Enabled', 'Suspended']);
      if (b.name.includes('.')) throw new S3Error('InvalidRequest', 'S3 Transfer Acceleration is not supported for buckets with periods (.) in their names', 400);
    },
  },
};

/** The bucket's versioning status (`Enabled`, `Suspended`), undefined when never set. */
export function versioningStatus(b: Bucket): string | undefined {
  const stored = b.config.get('versioning');
  return stored ? /<Status>([^<]*)<\/Status>/.exec(stored)?.[1] : undefined;
}

/** The bucket's object ownership setting (`BucketOwnerEnforced` when none is set or it was deleted). */
export function objectOwnership(b: Bucket): string {
  const stored = b.config.get('ownershipControls');
  return (stored && /<ObjectOwnership>([^<]*)<\/ObjectOwnership>/.exec(stored)?.[1]) ?? 'BucketOwnerEnforced';
}

/**
 * GET, PUT or DELETE of one of {@link BUCKET_SUBRESOURCES}.
 */
export function bucketSubresource(model: S3Model, method: string, name: string, bucketName: string, body: string): ServiceResponse {
  const sub = BUCKET_SUBRESOURCES[name]!;
  const b = model.bucket(bucketName);
  switch (method) {
    case 'GET': {
      const stored = b.config.get(name);
      if (typeof stored === 'string') return xml(200, document(sub.root, stored));
      if (stored === undefined && sub.defaultInner) return xml(200, document(sub.root, sub.defaultInner(b)));
      throw (sub.missing ?? notFound('NoSuchConfiguration', 'The specified configuration does not exist.'))(b);
    }
    case 'PUT': {
      const node = parseBody(body, sub.root);
      sub.validate?.(node, b, model);
      model.setConfig(bucketName, name, innerXml(node));
      return { status: sub.putStatus ?? 200, body: '' };
    }
    case 'DELETE':
      if (!sub.deletable) throw methodNotAllowed(method, 'BUCKET');
      // A subresource with a default (encryption) goes back to it; one without is gone.
      model.setConfig(bucketName, name, sub.defaultInner && !sub.missing ? undefined : null);
      return { status: 204, body: '' };
    default:
      throw methodNotAllowed(method, 'BUCKET');
  }
}

/** A PUT body whose root must be `root`; an empty body is MissingRequestBodyError, as on S3. */
export function parseBody(body: string, root: string): XmlNode {
  if (body.trim() === '') throw new S3Error('MissingRequestBodyError', 'Request Body is empty', 400);
  const node = parseXml(body);
  if (node.name !== root) throw malformedXml();
  return node;
}

/**
 * A `<Tagging><TagSet><Tag><Key/><Value/></Tag>…</TagSet></Tagging>` document's tags, checked as
 * S3 checks them: at most `max` tags (50 on a bucket, 10 on an object), keys of 1 to 128 and values
 * of at most 256 characters, no key twice, none in the reserved `aws:` prefix.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-tagging.html
 */
export function parseTagSet(node: XmlNode, max: number): Array<[string, string]> {
  const set = child(node, 'TagSet');
  if (!set) throw malformedXml();
  const tags = childrenNamed(set, 'Tag').map((t): [string, string] => {
    const key = childText(t, 'Key');
    const value = childText(t, 'Value');
    if (key === undefined || value === undefined) throw malformedXml();
    return [key, value];
  });
  checkTags(tags, max);
  return tags;
}

/** S3's tag rules (see {@link parseTagSet}). */
export function checkTags(tags: ReadonlyArray<readonly [string, string]>, max: number): void {
  if (tags.length > max) {
    throw max === 10 ? new S3Error('BadRequest', 'Object tags cannot be greater than 10', 400) : new S3Error('InvalidTag', `Bucket tag count cannot be greater than ${max}`, 400);
  }
  const seen = new Set<string>();
  for (const [key, value] of tags) {
    if (key.length === 0 || key.length > 128) throw new S3Error('InvalidTag', 'The TagKey you have provided is too long, max 128', 400, { TagKey: key });
    if (value.length > 256) throw new S3Error('InvalidTag', 'The TagValue you have provided is too long, max 256', 400, { TagKey: key, TagValue: value });
    if (key.toLowerCase().startsWith('aws:')) throw new S3Error('InvalidTag', 'Your TagKey cannot be prefixed with aws:', 400, { TagKey: key });
    if (seen.has(key)) throw new S3Error('InvalidTag', 'Cannot provide multiple Tags with the same key', 400, { TagKey: key });
    seen.add(key);
  }
}

/** A `Tagging` document of `tags`. */
export function taggingDocument(tags: ReadonlyArray<readonly [string, string]>): string {
  return document('Tagging', `<TagSet>${tags.map(([k, v]) => `<Tag>${el('Key', k)}${el('Value', v)}</Tag>`).join('')}</TagSet>`);
}

/** Canned ACLs S3 knows. @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html#canned-acl */
export const CANNED_ACLS = ['private', 'public-read', 'public-read-write', 'authenticated-read', 'aws-exec-read', 'bucket-owner-read', 'bucket-owner-full-control', 'log-delivery-write'];

/**
 * An AccessControlPolicy giving the owner FULL_CONTROL, which is every bucket's and object's ACL
 * while Object Ownership is `BucketOwnerEnforced` (ACLs disabled, S3's default since April 2023).
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketAcl.html
 */
export function ownerOnlyAcl(ownerId: string): string {
  const owner = `${el('ID', ownerId)}${el('DisplayName', 'sandbox')}`;
  return document('AccessControlPolicy', `<Owner>${owner}</Owner><AccessControlList><Grant><Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="CanonicalUser">${owner}</Grantee><Permission>FULL_CONTROL</Permission></Grant></AccessControlList>`);
}

/**
 * PutBucketAcl / PutObjectAcl (and `x-amz-acl` on uploads): with ACLs disabled (the default),
 * only an ACL that gives the owner full control is accepted, else AccessControlListNotSupported;
 * a body must be an AccessControlPolicy and a canned ACL one S3 knows.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html
 */
export function checkAcl(b: Bucket, canned: string | undefined, body: string, grantHeaders: boolean): void {
  if (canned !== undefined && !CANNED_ACLS.includes(canned)) throw invalidArgument(`x-amz-acl: expected a canned ACL (${CANNED_ACLS.join(', ')}), found ${canned}`, 'x-amz-acl', canned);
  let grantsOthers = grantHeaders || (canned !== undefined && canned !== 'private' && canned !== 'bucket-owner-full-control');
  if (body.trim() !== '') {
    const node = parseXml(body);
    if (node.name !== 'AccessControlPolicy') throw new S3Error('MalformedACLError', 'The XML you provided was not well-formed or did not validate against our published schema', 400);
    const grants = childrenNamed(child(node, 'AccessControlList') ?? node, 'Grant');
    grantsOthers ||= grants.some((g) => childText(g, 'Permission') !== 'FULL_CONTROL' || child(child(g, 'Grantee') ?? g, 'URI') !== undefined || child(child(g, 'Grantee') ?? g, 'EmailAddress') !== undefined);
  }
  if (grantsOthers && objectOwnership(b) === 'BucketOwnerEnforced') throw new S3Error('AccessControlListNotSupported', 'The bucket does not allow ACLs', 400);
}

/**
 * GetBucketPolicyStatus: public when a statement allows `*` without a condition.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status
 */
export function policyIsPublic(policy: string): boolean {
  const doc = JSON.parse(policy) as { Statement?: unknown };
  const statements = Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
  return statements.some((s) => {
    const st = (s ?? {}) as { Effect?: unknown; Principal?: unknown; Condition?: unknown };
    if (st.Effect !== 'Allow' || st.Condition !== undefined) return false;
    const p = st.Principal as string | { AWS?: unknown } | undefined;
    const aws = typeof p === 'object' && p !== null ? p.AWS : p;
    return aws === '*' || (Array.isArray(aws) && aws.includes('*'));
  });
}

/**
 * PutBucketPolicy's checks: JSON whose first byte is `{`, with a `Statement` whose entries have an
 * `Effect` of Allow or Deny and an `Action`; else MalformedPolicy with S3's wording.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketPolicy.html
 */
export function checkPolicy(text: string): void {
  const bad = (message: string) => new S3Error('MalformedPolicy', message, 400);
  if (text.trim() === '') throw new S3Error('MissingRequestBodyError', 'Request Body is empty', 400);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw bad("Policies must be valid JSON and the first byte must be '{'");
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc) || !text.trimStart().startsWith('{')) throw bad("Policies must be valid JSON and the first byte must be '{'");
  const statement = (doc as Record<string, unknown>).Statement;
  if (statement === undefined) throw bad('Missing required field Statement');
  const statements = Array.isArray(statement) ? statement : [statement];
  if (statements.length === 0) throw bad('Could not parse the policy: Statement is empty!');
  for (const s of statements) {
    if (typeof s !== 'object' || s === null) throw bad('Statement is not an object');
    const st = s as Record<string, unknown>;
    if (st.Effect !== 'Allow' && st.Effect !== 'Deny') throw bad('Invalid effect: ' + String(st.Effect));
    if (st.Action === undefined && st.NotAction === undefined) throw bad('Missing required field Action');
    if (st.Principal === undefined && st.NotPrincipal === undefined) throw bad('Missing required field Principal');
  }
  if (Buffer.byteLength(text, 'utf8') > 20 * 1024) throw new S3Error('PolicyTooLarge', 'Policy exceeds the maximum allowed document size.', 400);
}

function xml(status: number, body: string): ServiceResponse {
  return { status, headers: { 'Content-Type': 'application/xml' }, body };
}
