/**
 * A minimal Service Quotas (JSON 1.1 protocol, target prefix `ServiceQuotasV20190624.`, signing
 * name `servicequotas`): GetServiceQuota, GetAWSDefaultServiceQuota and ListServiceQuotas for
 * the EC2 On-Demand vCPU quota, whose applied value is settable per region (admin
 * `servicequotas.set`, in process {@link ServiceQuotasSandbox.setQuota}).
 *
 * @see https://docs.aws.amazon.com/servicequotas/2019-06-24/apireference/API_GetServiceQuota.html
 * @see https://docs.aws.amazon.com/ec2/latest/instancetypes/ec2-instance-quotas.html
 */
import type { Clock } from '../clock.js';
import type { SeededRandom } from '../random.js';
import type { SandboxService, ServiceRequest, ServiceResponse } from '../service.js';

/** One quota the sandbox knows: what AWS's catalog says of it. */
export interface QuotaDefinition {
  readonly serviceCode: string;
  readonly serviceName: string;
  readonly quotaCode: string;
  readonly quotaName: string;
  /** AWS's default (GetAWSDefaultServiceQuota). */
  readonly defaultValue: number;
  /** The applied value of a fresh sandbox account (GetServiceQuota), unless set. */
  readonly appliedValue: number;
  readonly unit: string;
  readonly adjustable: boolean;
  readonly usageMetric?: { namespace: string; name: string; dimensions: Record<string, string>; statistic: string };
}

/**
 * The quotas served. AWS's default for the Standard On-Demand vCPU quota is 5; the sandbox's
 * account has it raised to 1,152 (an established account's value) so that ordinary runs fit,
 * and faults lower it.
 */
export const QUOTAS: readonly QuotaDefinition[] = [
  {
    serviceCode: 'ec2', serviceName: 'Amazon Elastic Compute Cloud (Amazon EC2)', quotaCode: 'L-1216C47A',
    quotaName: 'Running On-Demand Standard (A, C, D, H, I, M, R, T, Z) instances', defaultValue: 5, appliedValue: 1152, unit: 'None', adjustable: true,
    usageMetric: { namespace: 'AWS/Usage', name: 'ResourceCount', dimensions: { Class: 'Standard/OnDemand', Resource: 'vCPU', Service: 'EC2', Type: 'Resource' }, statistic: 'Maximum' },
  },
];

/** Options of {@link createServiceQuotasService}. */
export interface ServiceQuotasOptions {
  readonly clock: Clock;
  readonly random: SeededRandom;
  readonly accountId: string;
  readonly onChange?: () => void;
}

/** The version of {@link ServiceQuotasSnapshot}. */
export const SERVICE_QUOTAS_SNAPSHOT_VERSION = 1;

export interface ServiceQuotasSnapshot {
  readonly version: typeof SERVICE_QUOTAS_SNAPSHOT_VERSION;
  readonly takenAtMs: number;
  /** `region/serviceCode/quotaCode` → applied value. */
  readonly applied: Record<string, number>;
}

export interface ServiceQuotasSandbox {
  readonly service: SandboxService;
  /** The applied value of a quota in a region, or undefined for a quota the sandbox does not know. */
  quota(region: string, serviceCode: string, quotaCode: string): number | undefined;
  /**
   * Sets the applied value of a quota in a region (as an approved increase, or a fault lowering it).
   * @throws RangeError for an unknown quota or a value that is not a number ≥ 0
   */
  setQuota(region: string, serviceCode: string, quotaCode: string, value: number): void;
  /** Admin actions: `set` (`{region, serviceCode?: 'ec2', quotaCode, value}`; `value: null` restores the default), `get` (`{region?}`). */
  admin(action: string, body: Record<string, unknown>): unknown;
  reset(): void;
  snapshot(): ServiceQuotasSnapshot;
  restore(snapshot: unknown): void;
}

const TARGET_PREFIX = 'ServiceQuotasV20190624.';

class QuotaError extends Error {
  constructor(readonly code: string, message: string, readonly status = 400) {
    super(message);
  }
}

/** Creates the Service Quotas service. */
export function createServiceQuotasService(options: ServiceQuotasOptions): ServiceQuotasSandbox {
  const { clock, accountId } = options;
  const ids = options.random.fork('servicequotas');
  const onChange = options.onChange ?? (() => {});
  const applied = new Map<string, number>();
  const keyOf = (region: string, serviceCode: string, quotaCode: string) => `${region}/${serviceCode}/${quotaCode}`;

  const definition = (serviceCode: unknown, quotaCode: unknown): QuotaDefinition => {
    if (typeof serviceCode !== 'string' || !QUOTAS.some((q) => q.serviceCode === serviceCode)) {
      throw new QuotaError('NoSuchResourceException', 'The request failed because the specified service does not exist.');
    }
    const q = QUOTAS.find((d) => d.serviceCode === serviceCode && d.quotaCode === quotaCode);
    // AWS answers an unknown quota code of a known service with an empty message.
    if (!q) throw new QuotaError('NoSuchResourceException', '');
    return q;
  };

  const valueOf = (region: string, q: QuotaDefinition) => applied.get(keyOf(region, q.serviceCode, q.quotaCode)) ?? q.appliedValue;

  const render = (region: string, q: QuotaDefinition, isDefault: boolean) => ({
    ServiceCode: q.serviceCode,
    ServiceName: q.serviceName,
    QuotaArn: `arn:aws:servicequotas:${region}:${isDefault ? '' : accountId}:${q.serviceCode}/${q.quotaCode}`,
    QuotaCode: q.quotaCode,
    QuotaName: q.quotaName,
    Value: isDefault ? q.defaultValue : valueOf(region, q),
    Unit: q.unit,
    Adjustable: q.adjustable,
    GlobalQuota: false,
    ...(q.usageMetric
      ? { UsageMetric: { MetricNamespace: q.usageMetric.namespace, MetricName: q.usageMetric.name, MetricDimensions: q.usageMetric.dimensions, MetricStatisticRecommendation: q.usageMetric.statistic } }
      : {}),
    ...(isDefault ? {} : { QuotaAppliedAtLevel: 'ACCOUNT' }),
  });

  type Op = (input: Record<string, unknown>, region: string) => unknown;
  const ops: Record<string, Op> = {
    GetServiceQuota: (i, region) => ({ Quota: render(region, definition(i.ServiceCode, i.QuotaCode), false) }),
    GetAWSDefaultServiceQuota: (i, region) => ({ Quota: render(region, definition(i.ServiceCode, i.QuotaCode), true) }),
    ListServiceQuotas: (i, region) => {
      if (typeof i.ServiceCode !== 'string' || !QUOTAS.some((q) => q.serviceCode === i.ServiceCode)) {
        throw new QuotaError('NoSuchResourceException', 'The request failed because the specified service does not exist.');
      }
      const all = QUOTAS.filter((q) => q.serviceCode === i.ServiceCode && (i.QuotaCode === undefined || q.quotaCode === i.QuotaCode));
      const max = i.MaxResults === undefined ? 100 : Number(i.MaxResults);
      if (!Number.isInteger(max) || max < 1 || max > 100) throw new QuotaError('ValidationException', `1 validation error detected: Value '${String(i.MaxResults)}' at 'maxResults' failed to satisfy constraint: Member must have value between 1 and 100`);
      const start = i.NextToken === undefined ? 0 : Number(Buffer.from(String(i.NextToken), 'base64url').toString('utf8'));
      if (!Number.isInteger(start) || start < 0) throw new QuotaError('InvalidPaginationTokenException', 'Invalid pagination token.');
      const page = all.slice(start, start + max);
      return { Quotas: page.map((q) => render(region, q, false)), ...(start + max < all.length ? { NextToken: Buffer.from(String(start + max)).toString('base64url') } : {}) };
    },
  };

  const json = (status: number, body: unknown, requestId: string): ServiceResponse => ({
    status,
    headers: { 'Content-Type': 'application/x-amz-json-1.1', 'x-amzn-RequestId': requestId },
    body: JSON.stringify(body),
  });

  const service: SandboxService = {
    matches(req: ServiceRequest) {
      return (req.headers['x-amz-target'] ?? '').startsWith(TARGET_PREFIX);
    },
    async handle(req) {
      const requestId = ids.uuid();
      const op = (req.headers['x-amz-target'] ?? '').slice(TARGET_PREFIX.length);
      try {
        const handler = Object.hasOwn(ops, op) ? ops[op] : undefined;
        if (!handler) throw new QuotaError('UnknownOperationException', `Unknown operation ${op}; the sandbox's Service Quotas answers ${Object.keys(ops).join(', ')}`);
        let input: Record<string, unknown> = {};
        const text = req.body.toString('utf8').trim();
        if (text !== '') {
          const parsed: unknown = JSON.parse(text);
          if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new QuotaError('SerializationException', 'Expected a JSON object body');
          input = parsed as Record<string, unknown>;
        }
        return json(200, handler(input, req.region), requestId);
      } catch (err) {
        if (err instanceof SyntaxError) return json(400, { __type: 'SerializationException', Message: 'The request body is not valid JSON' }, requestId);
        if (!(err instanceof QuotaError)) throw err;
        return json(err.status, { __type: err.code, Message: err.message }, requestId);
      }
    },
  };

  const sandbox: ServiceQuotasSandbox = {
    service,
    quota(region, serviceCode, quotaCode) {
      const q = QUOTAS.find((d) => d.serviceCode === serviceCode && d.quotaCode === quotaCode);
      return q ? valueOf(region, q) : undefined;
    },
    setQuota(region, serviceCode, quotaCode, value) {
      const q = QUOTAS.find((d) => d.serviceCode === serviceCode && d.quotaCode === quotaCode);
      if (!q) throw new RangeError(`servicequotas: ${serviceCode}/${quotaCode}: unknown quota; the sandbox knows ${QUOTAS.map((d) => `${d.serviceCode}/${d.quotaCode}`).join(', ')}`);
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw new RangeError(`servicequotas: ${serviceCode}/${quotaCode} › value: expected a number ≥ 0, found ${JSON.stringify(value)}`);
      applied.set(keyOf(region, serviceCode, quotaCode), value);
      onChange();
    },
    admin(action, body) {
      const where = `servicequotas admin '${action}'`;
      if (action === 'set') {
        if (typeof body.region !== 'string') throw new TypeError(`${where} › region: expected a region name such as "us-west-2", found ${JSON.stringify(body.region)}`);
        const serviceCode = (body.serviceCode ?? 'ec2') as string;
        if (typeof body.quotaCode !== 'string') throw new TypeError(`${where} › quotaCode: expected a quota code such as "L-1216C47A", found ${JSON.stringify(body.quotaCode)}`);
        if (body.value === null) {
          applied.delete(keyOf(body.region, serviceCode, body.quotaCode));
          onChange();
        } else sandbox.setQuota(body.region, serviceCode, body.quotaCode, body.value as number);
        return { region: body.region, serviceCode, quotaCode: body.quotaCode, value: sandbox.quota(body.region, serviceCode, body.quotaCode) };
      }
      if (action === 'get') return { applied: Object.fromEntries(applied), defaults: QUOTAS.map((q) => ({ serviceCode: q.serviceCode, quotaCode: q.quotaCode, appliedValue: q.appliedValue, defaultValue: q.defaultValue })) };
      throw new TypeError(`${where}: unknown action; expected one of set, get`);
    },
    reset() {
      applied.clear();
      onChange();
    },
    snapshot: () => ({ version: SERVICE_QUOTAS_SNAPSHOT_VERSION, takenAtMs: clock.now(), applied: Object.fromEntries(applied) }),
    restore(value) {
      const v = value as Partial<ServiceQuotasSnapshot> | null;
      if (typeof v !== 'object' || v === null || v.version !== SERVICE_QUOTAS_SNAPSHOT_VERSION || typeof v.applied !== 'object' || v.applied === null) {
        throw new TypeError(`servicequotas snapshot: expected {version: ${SERVICE_QUOTAS_SNAPSHOT_VERSION}, applied: {…}}, found ${JSON.stringify(value)?.slice(0, 100)}`);
      }
      applied.clear();
      for (const [k, n] of Object.entries(v.applied)) if (typeof n === 'number') applied.set(k, n);
    },
  };
  return sandbox;
}
