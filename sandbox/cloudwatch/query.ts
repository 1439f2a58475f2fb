/**
 * CloudWatch over the AWS Query protocol, which CloudWatch still serves beside AWS JSON 1.0 and
 * which older SDKs and CLIs speak (`Action=DescribeAlarms&Version=2010-08-01&AlarmNames.member.1=…`,
 * answered in XML). The form is read into the JSON 1.0 request shape, the same operation answers,
 * and its JSON result is written back as Query XML: lists as `<member>` elements, timestamps as ISO
 * 8601. Errors keep their Query code (`InvalidParameterValue`, …); an unknown `Action`, including
 * a JavaScript object key such as `__proto__`, is `InvalidAction`.
 *
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/making-api-requests.html
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CommonErrors.html
 */
import { QueryError, queryErrorResponse, queryProblem, serveQuery, xmlText, type QueryDialect, type QueryOperation } from '../query-protocol.js';
import type { FrontEndProblem, ServiceRequest, ServiceResponse } from '../service.js';
import { CloudWatchError } from './errors.js';

/** The Query API version of CloudWatch. */
export const CLOUDWATCH_QUERY_VERSION = '2010-08-01';
/** How CloudWatch's Query answers read: its namespace, indented documents, AWS's InvalidAction wording. */
const DIALECT: QueryDialect = {
  signingName: 'monitoring',
  version: CLOUDWATCH_QUERY_VERSION,
  namespace: `http://monitoring.amazonaws.com/doc/${CLOUDWATCH_QUERY_VERSION}/`,
  layout: 'indented',
  readsUrlQuery: true,
  invalidAction: (action, version) => `Could not find operation ${action} for version ${version ?? 'NO_VERSION_SPECIFIED'}`,
};

/** Members whose values are numbers in the JSON shapes (a list's values: `Values.member.1`). */
const NUMBERS = new Set(['Value', 'Values', 'Counts', 'StorageResolution', 'Period', 'EvaluationPeriods', 'DatapointsToAlarm', 'Threshold', 'MaxRecords', 'MaxDatapoints', 'SampleCount', 'Sum', 'Minimum', 'Maximum']);
/** Members whose values are booleans in the JSON shapes. */
const BOOLEANS = new Set(['ActionsEnabled', 'ReturnData', 'IncludeLinkedAccounts']);

/**
 * True for a Query request meant for CloudWatch: without `X-Amz-Target` (which marks JSON 1.0),
 * signed for `monitoring`, or, unsigned, a form naming CloudWatch's API version.
 */
export function isCloudWatchQuery(req: ServiceRequest): boolean {
  if (req.headers['x-amz-target'] !== undefined) return false;
  if (req.signingService === 'monitoring') return true;
  return (req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded') && new RegExp(`(^|&)Version=${CLOUDWATCH_QUERY_VERSION}(&|$)`).test(req.body.toString('utf8'));
}

type Json = string | number | boolean | null | Json[] | { [k: string]: Json };

/**
 * The JSON request a Query form stands for: `A.member.2.B=x` is `{A: [_, {B: "x"}]}` (lists are
 * 1-based, `member` names the list), numbers and booleans by member name.
 */
export function formToJson(params: ReadonlyMap<string, string>): Record<string, unknown> {
  const root: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const [key, raw] of params) {
    if (key === 'Action' || key === 'Version') continue;
    const parts = key.split('.');
    let node: Record<string, unknown> = root;
    let owner = '';
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i]!;
      const last = i === parts.length - 1;
      if (part === 'member' && i + 1 < parts.length && /^[1-9]\d{0,4}$/.test(parts[i + 1]!)) {
        // `member.N`: the N-th element of the list this node holds.
        const index = parts[i + 1]!;
        i++;
        if (i === parts.length - 1) {
          node[`#${index}`] = convert(owner, raw);
        } else {
          node = child(node, `#${index}`);
        }
        continue;
      }
      if (part === '' || /^#/.test(part)) throw new QueryError('InvalidParameterValue', `The parameter ${key} is not valid.`);
      owner = part;
      if (last) node[part] = convert(part, raw);
      else node = child(node, part);
    }
  }
  return listsOf(root) as Record<string, unknown>;
}

function child(node: Record<string, unknown>, key: string): Record<string, unknown> {
  const existing = node[key];
  if (typeof existing === 'object' && existing !== null) return existing as Record<string, unknown>;
  const made = Object.create(null) as Record<string, unknown>;
  node[key] = made;
  return made;
}

function convert(member: string, raw: string): unknown {
  if (NUMBERS.has(member) && raw.trim() !== '' && Number.isFinite(Number(raw))) return Number(raw);
  if (BOOLEANS.has(member) && (raw === 'true' || raw === 'false')) return raw === 'true';
  return raw;
}

/** Turns `{"#1": a, "#2": b}` nodes into arrays, in index order. */
function listsOf(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value);
  if (entries.length > 0 && entries.every(([k]) => k.startsWith('#'))) {
    return entries.sort(([a], [b]) => Number(a.slice(1)) - Number(b.slice(1))).map(([, v]) => listsOf(v));
  }
  // Null-prototype, so that a parameter named `__proto__` is only a (then ignored) key.
  const out = Object.create(null) as Record<string, unknown>;
  for (const [k, v] of entries) out[k] = listsOf(v);
  return out;
}

/** The Query XML of a JSON result member: lists as `<member>`, `…Timestamp(s)` epoch seconds as ISO 8601. */
export function jsonToXml(value: unknown, name = ''): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.map((v) => `<member>${jsonToXml(v, name)}</member>`).join('');
  if (typeof value === 'object') {
    return Object.entries(value as Record<string, Json>)
      .filter(([, v]) => v !== null && v !== undefined)
      .map(([k, v]) => `<${k}>${jsonToXml(v, k)}</${k}>`)
      .join('');
  }
  if (typeof value === 'number' && /Timestamps?$/.test(name)) return new Date(Math.round(value * 1000)).toISOString();
  return xmlText(String(value));
}

/** Serves one CloudWatch Query request with the JSON operations `operations`. */
export function serveCloudWatchQuery(
  req: ServiceRequest,
  operations: Readonly<Record<string, (region: string, body: Record<string, unknown>) => unknown>>,
  requestId: string,
): ServiceResponse {
  const wrapped: Record<string, QueryOperation> = Object.create(null) as Record<string, QueryOperation>;
  for (const [action, fn] of Object.entries(operations)) {
    wrapped[action] = (params) => {
      try {
        return jsonToXml(fn(req.region, formToJson(params)));
      } catch (e) {
        if (e instanceof CloudWatchError) throw new QueryError(e.code, e.message, e.status, e.faultSide);
        if (e instanceof QueryError) throw e;
        // As the JSON front end: a fault of the sandbox itself is CloudWatch's internal error.
        throw new QueryError('InternalServiceError', `cloudwatch sandbox › ${action}: ${e instanceof Error ? e.message : String(e)}`, 500, 'Receiver');
      }
    };
  }
  return serveQuery(req, DIALECT, wrapped, requestId);
}

/** A request refused before CloudWatch read it (too large, foreign origin, bad gzip), as a Query error. */
export function cloudWatchQueryProblem(problem: FrontEndProblem, requestId: string): ServiceResponse {
  return queryErrorResponse(queryProblem(problem), DIALECT, requestId);
}
