import { regionOrThrow, type Ec2Context } from './context.js';
import { dryRunError, Ec2Error } from './errors.js';
import { applyFilters, byKey, describedRecords, paginate } from './filters.js';
import { iso, type ImageMapping, type ImageRecord, type RegionState, type SnapshotRecord, type Tags } from './model.js';
import { readFilters, readTagSpecifications, type QueryParams } from './query.js';
import { renderImage, renderSnapshot, snapshotProgress } from './render.js';
import { mergedTags, tagsFor } from './tags.js';
import { checkClientToken, checkId, checkImageName, fingerprint, idempotentMismatch, isSameCall } from './validate.js';
import { el, frag, set, struct, type XmlNode } from './xml.js';

function isVisible(ctx: Ec2Context, img: ImageRecord): boolean {
  return img.ownerId === ctx.accountId || img.isPublic;
}

function imageNotFound(ids: readonly string[]): Ec2Error {
  return ids.length === 1
    ? new Ec2Error('InvalidAMIID.NotFound', `The image id '[${ids[0]}]' does not exist`)
    : new Ec2Error('InvalidAMIID.NotFound', `The image ids '[${ids.join(', ')}]' do not exist`);
}

/** An own, visible image by id, or the AWS error. */
function ownImage(ctx: Ec2Context, r: RegionState, id: string): ImageRecord {
  checkId('ami', id);
  const img = r.images.get(id);
  if (!img || !isVisible(ctx, img)) throw imageNotFound([id]);
  if (img.ownerId !== ctx.accountId) throw new Ec2Error('UnauthorizedOperation', `You are not authorized to perform this operation on image '${id}' (owned by ${img.ownerId}).`);
  return img;
}

function checkNameFree(ctx: Ec2Context, r: RegionState, name: string): void {
  // By the name index: the same answer as a scan of the region's images, at the cost of the matches.
  for (const img of r.images.matching('name', [name])) {
    if (img.ownerId === ctx.accountId) {
      throw new Ec2Error('InvalidAMIName.Duplicate', `AMI name ${name} is already in use by AMI ${img.imageId}`);
    }
  }
}

/**
 * Schedules an image's snapshots and the image itself: each snapshot completes (or errors, when
 * the image is to fail) at its own time, and the image turns `available`/`failed` `imageRegister`
 * seconds after the last one (see `transitions.ts`).
 */
function scheduleImage(ctx: Ec2Context, r: RegionState, img: ImageRecord, snaps: SnapshotRecord[], failure: { code: string; message: string } | undefined): void {
  const fail = failure ? { failure: { code: failure.code, message: failure.message } } : {};
  for (const s of snaps) ctx.queue.at(s.doneAt, { kind: 'snapshot-done', region: r.name, snapshotId: s.snapshotId, ...fail });
  ctx.queue.at(img.readyAt!, { kind: 'image-ready', region: r.name, imageId: img.imageId, ...fail });
}

/**
 * CreateImage: one snapshot per EBS volume of the instance, AMI `pending` until they complete.
 * @see https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateImage.html
 */
export function createImage(ctx: Ec2Context, r: RegionState, p: QueryParams): XmlNode {
  const instanceId = p.required('InstanceId');
  const name = p.required('Name');
  checkId('i', instanceId);
  const inst = r.instances.get(instanceId);
  if (!inst) throw new Ec2Error('InvalidInstanceID.NotFound', `The instance ID '${instanceId}' does not exist`);
  if (inst.state !== 'running' && inst.state !== 'stopped') {
    throw new Ec2Error('IncorrectInstanceState', `The instance '${instanceId}' is not in a state from which it can be imaged (state: ${inst.state}).`);
  }
  checkImageName(name);
  checkNameFree(ctx, r, name);
  const specs = readTagSpecifications(p, ['image', 'snapshot']);
  const imageTags = tagsFor(specs, 'image');
  const snapshotTags = tagsFor(specs, 'snapshot');
  p.bool('NoReboot');
  if (p.bool('DryRun')) throw dryRunError();

  const now = ctx.clock.now();
  const imageId = ctx.ids.next('ami');
  const snaps: SnapshotRecord[] = inst.volumes.map((v) => ({
    snapshotId: ctx.ids.next('snap'),
    volumeId: v.volumeId,
    ownerId: ctx.accountId,
    state: 'pending',
    startTime: now,
    doneAt: now + ctx.latency.snapshotMs(v.sizeGiB),
    volumeSize: v.sizeGiB,
    encrypted: v.encrypted,
    kmsKeyId: v.kmsKeyId,
    description: `Created by CreateImage(${instanceId}) for ${imageId}`,
    tags: new Map(snapshotTags),
  }));
  const mappings: ImageMapping[] = inst.volumes.map((v, i) => ({
    deviceName: v.deviceName,
    snapshotId: snaps[i]!.snapshotId,
    volumeSize: v.sizeGiB,
    volumeType: v.volumeType,
    deleteOnTermination: v.deleteOnTermination,
    encrypted: v.encrypted,
    kmsKeyId: v.kmsKeyId,
  }));
  const readyAt = Math.max(now, ...snaps.map((s) => s.doneAt)) + ctx.latency.registerMs();
  const img: ImageRecord = {
    imageId,
    name,
    description: p.get('Description'),
    ownerId: ctx.accountId,
    isPublic: false,
    state: 'pending',
    creationDate: iso(now),
    architecture: inst.architecture,
    blockDeviceMappings: mappings,
    tags: imageTags,
    kind: 'create',
    sourceInstanceId: instanceId,
    readyAt,
  };
  const failure = ctx.faults.imageFailure({ kind: 'create', region: r.name, name, sourceInstanceId: instanceId, tags: imageTags });
  r.images.set(imageId, img);
  for (const s of snaps) r.snapshots.set(s.snapshotId, s);
  scheduleImage(ctx, r, img, snaps, failure);
  return el('imageId', imageId);
}

/** A KMS key given as a bare key id becomes the ARN in the destination region, as EC2 reports it. */
function normaliseKmsKey(key: string, region: string, accountId: string): string {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(key) ? `arn:aws:kms:${region}:${accountId}:key/${key}` : key;
}

/**
 * CopyImage, served by the destination region (the request's region); the source is looked up
 * in `SourceRegion`. Encrypted sources stay encrypted; `Encrypted=true` encrypts; `KmsKeyId`
 * needs `Encrypted=true`; only user tags travel, and only with `CopyImageTags=true`.
 * @see https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CopyImage.html
 * @see https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/how-ami-copy-works.html
 */
export function copyImage(ctx: Ec2Context, r: RegionState, p: QueryParams): XmlNode {
  const sourceImageId = p.required('SourceImageId');
  const sourceRegionName = p.required('SourceRegion');
  const name = p.required('Name');
  const destinations = ['DestinationOutpostArn', 'DestinationAvailabilityZone', 'DestinationAvailabilityZoneId'].filter((k) => p.has(k));
  if (destinations.length > 1) {
    throw new Ec2Error('InvalidParameterCombination', `The parameters ${destinations.join(' and ')} are mutually exclusive.`);
  }
  if (destinations.length === 1) {
    throw new Ec2Error('InvalidParameterValue', `${destinations[0]} is not supported by this sandbox (no Outposts or Local Zones).`);
  }
  const isEncryptRequested = p.bool('Encrypted');
  const kmsKeyParam = p.get('KmsKeyId');
  if (kmsKeyParam !== undefined && !isEncryptRequested) {
    // AWS: "If you specify KmsKeyId, you must also set the encrypted state to true."
    throw new Ec2Error('InvalidParameterDependency', 'The parameter KmsKeyId requires the parameter Encrypted to be set.');
  }
  checkId('ami', sourceImageId);
  const token = p.get('ClientToken');
  const tokenKey = token !== undefined ? `CopyImage:${token}` : undefined;
  if (token !== undefined) checkClientToken(token);
  const print = fingerprint(p);
  if (tokenKey) {
    const seen = r.tokens.get(tokenKey);
    if (seen) {
      if (!isSameCall(seen.fingerprint, p, print)) throw idempotentMismatch(token!);
      if (p.bool('DryRun')) throw dryRunError();
      return el('imageId', seen.result);
    }
  }
  const src = regionOrThrow(ctx, sourceRegionName, 'SourceRegion');
  const source = src.images.get(sourceImageId);
  if (!source || !isVisible(ctx, source)) throw imageNotFound([sourceImageId]);
  if (source.state !== 'available') {
    throw new Ec2Error('InvalidAMIID.Unavailable', `The image id '[${sourceImageId}]' is not available for copying (state: ${source.state}).`);
  }
  checkImageName(name);
  checkNameFree(ctx, r, name);
  // Quotas per destination region: AMI copies in progress, and the snapshot copies behind them
  // (each snapshot of the source is copied). A copy is in progress while its image is pending.
  const copying = [...r.images.values()].filter((i) => i.kind === 'copy' && i.state === 'pending');
  const limit = ctx.faults.concurrentCopyLimit;
  if (copying.length >= limit) {
    throw new Ec2Error('ResourceLimitExceeded', `You have reached the limit of ${limit} concurrent AMI copies into region ${r.name}. Wait for a copy to complete and try again.`);
  }
  const snapshotLimit = ctx.faults.concurrentSnapshotCopyLimit;
  const snapshotsCopying = copying.reduce((n, i) => n + i.blockDeviceMappings.filter((m) => r.snapshots.get(m.snapshotId)?.state === 'pending').length, 0);
  // An image with more snapshots than the whole quota may still be copied alone (unconfirmed).
  if (snapshotsCopying > 0 && snapshotsCopying + source.blockDeviceMappings.length > snapshotLimit) {
    // The wording AWS returns for CopySnapshot at this quota, as recorded in public reports.
    throw new Ec2Error('ResourceLimitExceeded', `Too many snapshot copies in progress. The limit is ${snapshotLimit} for this destination region.`);
  }
  const specs = readTagSpecifications(p, ['image', 'snapshot']);
  const specImageTags = tagsFor(specs, 'image');
  const snapshotTags = tagsFor(specs, 'snapshot');
  let imageTags: Tags = new Map();
  if (p.bool('CopyImageTags')) {
    const copied = [...source.tags].filter(([k]) => !k.startsWith('aws:')).map(([key, value]) => ({ key, value }));
    imageTags = mergedTags(imageTags, copied, 'copied image');
  }
  imageTags = mergedTags(imageTags, [...specImageTags].map(([key, value]) => ({ key, value })), 'copied image');
  if (p.bool('DryRun')) throw dryRunError();

  const now = ctx.clock.now();
  const imageId = ctx.ids.next('ami');
  const kmsKey = kmsKeyParam !== undefined ? normaliseKmsKey(kmsKeyParam, r.name, ctx.accountId) : undefined;
  const snaps: SnapshotRecord[] = [];
  const mappings: ImageMapping[] = source.blockDeviceMappings.map((m) => {
    const encrypted = m.encrypted || isEncryptRequested;
    // Cross-region copies are re-encrypted with a key of the destination: the given one or the
    // account's default EBS key there; a same-region copy keeps the source key unless told.
    const keyId = !encrypted ? undefined : (kmsKey ?? (src === r && m.encrypted ? m.kmsKeyId : undefined) ?? r.defaultKmsKeyId);
    const snap: SnapshotRecord = {
      snapshotId: ctx.ids.next('snap'),
      volumeId: 'vol-ffffffff',
      ownerId: ctx.accountId,
      state: 'pending',
      startTime: now,
      doneAt: now + ctx.latency.copyMs(m.volumeSize),
      volumeSize: m.volumeSize,
      encrypted,
      kmsKeyId: keyId,
      description: `Copied for DestinationAmi ${imageId} from SourceAmi ${sourceImageId} for SourceSnapshot ${m.snapshotId}.`,
      tags: new Map(snapshotTags),
    };
    snaps.push(snap);
    return { ...m, snapshotId: snap.snapshotId, encrypted, kmsKeyId: keyId };
  });
  const img: ImageRecord = {
    imageId,
    name,
    description: p.get('Description') ?? source.description,
    ownerId: ctx.accountId,
    isPublic: false,
    state: 'pending',
    creationDate: iso(now),
    architecture: source.architecture,
    blockDeviceMappings: mappings,
    tags: imageTags,
    kind: 'copy',
    sourceImageId,
    sourceImageRegion: src.name,
    readyAt: Math.max(now, ...snaps.map((s) => s.doneAt)) + ctx.latency.registerMs(),
  };
  let failure = ctx.faults.imageFailure({ kind: 'copy', region: r.name, name, sourceImageId, tags: imageTags });
  const keyRegion = kmsKey?.startsWith('arn:') ? kmsKey.split(':')[3] : undefined;
  if (!failure && keyRegion !== undefined && keyRegion !== r.name) {
    // An unusable KMS key fails the copy asynchronously, not the call.
    failure = { code: 'Client.InvalidKMSKey.InvalidState', message: `Client.InvalidKMSKey.InvalidState: The KMS key ${kmsKey} is not in region ${r.name}.` };
  }
  const lookupKey = ctx.preconditions.integrations.kmsKey;
  if (!failure && lookupKey) {
    // With KMS wired in: a key of the destination that is missing or not enabled fails the copy too.
    for (const keyId of new Set(mappings.map((m) => m.kmsKeyId).filter((k): k is string => k !== undefined))) {
      const key = lookupKey(r.name, keyId);
      if (!key || key.state !== 'Enabled') {
        failure = { code: 'Client.InvalidKMSKey.InvalidState', message: 'Client.InvalidKMSKey.InvalidState: The KMS key provided is in an incorrect state' };
        break;
      }
    }
  }
  r.images.set(imageId, img);
  for (const s of snaps) r.snapshots.set(s.snapshotId, s);
  if (tokenKey) r.tokens.set(tokenKey, { fingerprint: print, result: imageId });
  scheduleImage(ctx, r, img, snaps, failure);
  return el('imageId', imageId);
}

const OWNER_ALIASES = new Set(['self', 'amazon', 'aws-marketplace', 'aws-backup-vault']);

/**
 * DescribeImages: explicit ids (all must exist), owners, executable-by, filters, deprecated
 * images hidden from non-owners unless `IncludeDeprecated`, pagination.
 * @see https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeImages.html
 */
export function describeImages(ctx: Ec2Context, r: RegionState, p: QueryParams): XmlNode {
  const ids = p.list('ImageId');
  const owners = p.list('Owner');
  const executableBy = p.list('ExecutableBy');
  const maxResults = p.int('MaxResults');
  if (maxResults !== undefined && ids.length > 0) {
    throw new Ec2Error('InvalidParameterCombination', 'The parameter ImageIds cannot be used with the parameter MaxResults');
  }
  for (const o of owners) {
    if (!OWNER_ALIASES.has(o) && !/^\d{12}$/.test(o)) throw new Ec2Error('InvalidParameterValue', `Invalid value '${o}' for Owner: expected self, amazon, aws-marketplace, aws-backup-vault or a 12-digit account id`);
  }
  for (const id of ids) checkId('ami', id);
  const now = ctx.clock.now();
  const missing = ids.filter((id) => {
    const img = r.images.get(id);
    return !img || !isVisible(ctx, img) || ctx.faults.isNotYetVisible(ctx.call.operation, Date.parse(img.creationDate), now);
  });
  if (missing.length > 0) throw imageNotFound(missing);
  const isIncludeDeprecated = p.bool('IncludeDeprecated');
  p.bool('IncludeDisabled');
  const filters = readFilters(p);
  let images = describedRecords(r.images, ids, filters, 'image-id').filter((img) => {
    if (!isVisible(ctx, img)) return false;
    if (ids.length > 0) return true;
    const isDeprecated = img.deprecationTime !== undefined && Date.parse(img.deprecationTime) <= now;
    if (isDeprecated && !isIncludeDeprecated && img.ownerId !== ctx.accountId) return false;
    return true;
  });
  if (owners.length > 0) {
    images = images.filter((img) =>
      owners.some((o) => (o === 'self' ? img.ownerId === ctx.accountId : o === 'amazon' ? img.ownerAlias === 'amazon' : o === img.ownerId)),
    );
  }
  if (executableBy.length > 0) {
    images = images.filter((img) => executableBy.some((e) => (e === 'all' ? img.isPublic : img.isPublic || img.ownerId === ctx.accountId)));
  }
  images = applyFilters(
    images,
    filters,
    {
      'image-id': (i) => i.imageId,
      name: (i) => i.name,
      state: (i) => i.state,
      'owner-id': (i) => i.ownerId,
      'owner-alias': (i) => i.ownerAlias,
      'source-image-id': (i) => i.sourceImageId,
      'source-instance-id': (i) => i.sourceInstanceId,
      'creation-date': (i) => i.creationDate,
      description: (i) => i.description,
      architecture: (i) => i.architecture,
      'is-public': (i) => String(i.isPublic),
      'image-type': () => 'machine',
      'root-device-type': () => 'ebs',
      'virtualization-type': () => 'hvm',
      'platform-details': () => 'Linux/UNIX',
      'block-device-mapping.snapshot-id': (i) => i.blockDeviceMappings.map((m) => m.snapshotId),
      'block-device-mapping.encrypted': (i) => i.blockDeviceMappings.map((m) => String(m.encrypted)),
      'block-device-mapping.volume-size': (i) => i.blockDeviceMappings.map((m) => String(m.volumeSize)),
      'state-reason-code': (i) => i.stateReason?.code,
    },
    (i) => i.tags,
  );
  images = byKey(images, (i) => i.imageId);
  const { page, nextToken } = paginate(images, (i) => i.imageId, maxResults, p.get('NextToken'));
  return frag(set('imagesSet', page, renderImage), el('nextToken', nextToken));
}

/**
 * DeregisterImage, optionally deleting the backing snapshots (a snapshot another AMI still uses
 * is kept and reported `skipped`).
 * @see https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DeregisterImage.html
 */
export function deregisterImage(ctx: Ec2Context, r: RegionState, p: QueryParams): XmlNode {
  const img = ownImage(ctx, r, p.required('ImageId'));
  const isDeleteSnapshots = p.bool('DeleteAssociatedSnapshots');
  if (p.bool('DryRun')) throw dryRunError();
  r.images.delete(img.imageId);
  const results: { snapshotId: string; returnCode: string }[] = [];
  if (isDeleteSnapshots) {
    for (const m of img.blockDeviceMappings) {
      const isUsedElsewhere = [...r.images.values()].some((o) => o.blockDeviceMappings.some((om) => om.snapshotId === m.snapshotId));
      if (isUsedElsewhere) {
        results.push({ snapshotId: m.snapshotId, returnCode: 'skipped' });
      } else if (r.snapshots.delete(m.snapshotId)) {
        results.push({ snapshotId: m.snapshotId, returnCode: 'success' });
      } else {
        results.push({ snapshotId: m.snapshotId, returnCode: 'client-error' });
      }
    }
  }
  return frag(el('return', true), set('deleteSnapshotResultSet', results, (x) => struct(x)));
}

/**
 * EnableImageDeprecation: sets `deprecationTime` (rounded to the minute); past dates rejected.
 * @see https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_EnableImageDeprecation.html
 */
export function enableImageDeprecation(ctx: Ec2Context, r: RegionState, p: QueryParams): XmlNode {
  const img = ownImage(ctx, r, p.required('ImageId'));
  const raw = p.required('DeprecateAt');
  const at = Date.parse(raw);
  if (Number.isNaN(at)) throw new Ec2Error('InvalidParameterValue', `Value (${raw}) for parameter DeprecateAt is invalid: expected an ISO-8601 UTC time.`);
  const rounded = Math.round(at / 60_000) * 60_000;
  if (rounded <= ctx.clock.now()) throw new Ec2Error('InvalidParameterValue', `The deprecation time ${raw} must be in the future.`);
  if (p.bool('DryRun')) throw dryRunError();
  img.deprecationTime = iso(rounded);
  return el('return', true);
}

/**
 * DescribeSnapshots (own snapshots), with ids, owners, filters and pagination.
 * @see https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeSnapshots.html
 */
export function describeSnapshots(ctx: Ec2Context, r: RegionState, p: QueryParams): XmlNode {
  const ids = p.list('SnapshotId');
  const owners = p.list('Owner');
  const maxResults = p.int('MaxResults');
  if (maxResults !== undefined && ids.length > 0) {
    throw new Ec2Error('InvalidParameterCombination', 'The parameter SnapshotIds cannot be used with the parameter MaxResults');
  }
  for (const id of ids) checkId('snap', id);
  const visible = (s: SnapshotRecord): boolean => s.ownerId === ctx.accountId;
  const now = ctx.clock.now();
  const missing = ids.filter((id) => {
    const s = r.snapshots.get(id);
    return !s || !visible(s) || ctx.faults.isNotYetVisible(ctx.call.operation, s.startTime, now);
  });
  if (missing.length > 0) throw new Ec2Error('InvalidSnapshot.NotFound', `The snapshot '${missing.join(', ')}' does not exist.`);
  const filters = readFilters(p);
  let snaps = describedRecords(r.snapshots, ids, filters, 'snapshot-id').filter(visible);
  if (owners.length > 0) snaps = snaps.filter((s) => owners.some((o) => o === 'self' || o === s.ownerId));
  snaps = applyFilters(
    snaps,
    filters,
    {
      'snapshot-id': (s) => s.snapshotId,
      status: (s) => s.state,
      'volume-id': (s) => s.volumeId,
      'volume-size': (s) => String(s.volumeSize),
      description: (s) => s.description,
      encrypted: (s) => String(s.encrypted),
      'owner-id': (s) => s.ownerId,
      'start-time': (s) => iso(s.startTime),
      progress: (s) => `${snapshotProgress(s, now)}%`,
      'kms-key-id': (s) => s.kmsKeyId,
    },
    (s) => s.tags,
  );
  snaps = byKey(snaps, (s) => s.snapshotId);
  const { page, nextToken } = paginate(snaps, (s) => s.snapshotId, maxResults, p.get('NextToken'));
  return frag(set('snapshotSet', page, (s) => renderSnapshot(s, now)), el('nextToken', nextToken));
}

/**
 * DeleteSnapshot; `InvalidSnapshot.InUse` while a registered AMI references it.
 * @see https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DeleteSnapshot.html
 */
export function deleteSnapshot(ctx: Ec2Context, r: RegionState, p: QueryParams): XmlNode {
  const id = p.required('SnapshotId');
  checkId('snap', id);
  const s = r.snapshots.get(id);
  if (!s || s.ownerId !== ctx.accountId) throw new Ec2Error('InvalidSnapshot.NotFound', `The snapshot '${id}' does not exist.`);
  const user = [...r.images.values()].find((i) => i.blockDeviceMappings.some((m) => m.snapshotId === id));
  if (user) throw new Ec2Error('InvalidSnapshot.InUse', `The snapshot ${id} is currently in use by ${user.imageId}`);
  if (p.bool('DryRun')) throw dryRunError();
  r.snapshots.delete(id);
  return el('return', true);
}
