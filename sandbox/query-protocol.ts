/**
 * The AWS Query protocol front end shared by the sandbox's Query services (STS, IAM, SNS,
 * ELBv2): a form body (`Action=…&Version=…&Param.member.1=…`) in, `<ActionResponse><ActionResult>…`
 * or `<ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/>` out. It routes requests
 * (signing name, or `Version=` of an unsigned form), parses the form, looks `Action` up in the
 * service's own table only, and answers the common errors (`MissingAction`, `InvalidAction`,
 * `MalformedQueryString`, the server's refusals) in the service's envelope. Each service states
 * its {@link QueryDialect} (namespace, layout, wording) and its operations.
 *
 * @see https://docs.aws.amazon.com/STS/latest/APIReference/CommonErrors.html
 * @see https://smithy.io/2.0/aws/protocols/aws-query-protocol.html
 */
import type { FrontEndProblem, SandboxService, ServiceRequest, ServiceResponse } from './service.js';

/** An error of a Query service: AWS's code, message, HTTP status and fault side. */
export class QueryError extends Error {
  constructor(readonly code: string, message: string, readonly status = 400, readonly type: 'Sender' | 'Receiver' = 'Sender') {
    super(message);
    this.name = 'QueryError';
  }
}

/**
 * How a service lays its XML out: `indented` (STS, IAM: two spaces a level, a final newline) or
 * `compact` (SNS, ELBv2: an XML declaration, then the whole document on one line).
 */
export type QueryLayout = 'indented' | 'compact';

/** What one Query service's front end says its own way; the rest is this module's. */
export interface QueryDialect {
  /** The SigV4 signing name that routes a signed request here (`sts`, `elasticloadbalancing`). */
  readonly signingName: string;
  /** The API version that routes an unsigned form request here (`Version=2011-06-15`). */
  readonly version: string;
  /** The XML namespace of every answer, e.g. `https://sts.amazonaws.com/doc/2011-06-15/`. */
  readonly namespace: string;
  readonly layout: QueryLayout;
  /** True when parameters in the URL's query string count as well as the form body's. */
  readonly readsUrlQuery: boolean;
  /** The `InvalidAction` message for an action the service's table does not hold. */
  invalidAction(action: string, version: string | undefined): string;
}

/** One operation: the parameters and the request, answering the inner XML of `<ActionResult>`. */
export type QueryOperation = (params: Map<string, string>, req: ServiceRequest) => string;

/** Escapes text (or a number or boolean) for an XML element or attribute. */
export function xmlText(text: string | number | boolean): string {
  return String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** The parameters of a form body, and of the URL query string first when `readsUrlQuery` (the CLI may use it for GET). */
export function readForm(req: ServiceRequest, readsUrlQuery = true): Map<string, string> {
  const params = new Map<string, string>();
  const sources = readsUrlQuery ? [req.query ?? '', req.body.toString('utf8')] : [req.body.toString('utf8')];
  const decode = (s: string) => decodeURIComponent(s.replace(/\+/g, ' '));
  for (const source of sources) {
    for (const part of source.split('&')) {
      if (part === '') continue;
      const eq = part.indexOf('=');
      try {
        params.set(decode(eq < 0 ? part : part.slice(0, eq)), decode(eq < 0 ? '' : part.slice(eq + 1)));
      } catch {
        throw malformedQueryString(part);
      }
    }
  }
  return params;
}

/** `MalformedQueryString` for a form part that does not percent-decode (404, as AWS's common errors list it). */
export function malformedQueryString(part: string): QueryError {
  return new QueryError('MalformedQueryString', `The query string is malformed near ${JSON.stringify(part.slice(0, 40))}`, 404);
}

/** The `Action` parameter: `MissingAction` when the request has none (AWS's common errors). */
export function actionOf(params: ReadonlyMap<string, string>): string {
  const action = params.get('Action');
  if (action === undefined || action === '') throw new QueryError('MissingAction', 'The request must contain the parameter Action');
  return action;
}

/**
 * A request the server refused before the service read it, as a Query error: 403
 * `AccessDeniedException` (a web page or a foreign host name), 413 `RequestEntityTooLarge`, and
 * 400 `InvalidQueryParameter` for a body that is not a query string (gzip that does not inflate,
 * JSON nested too deep).
 */
export function queryProblem(problem: FrontEndProblem): QueryError {
  if (problem.kind === 'forbidden') return new QueryError('AccessDeniedException', problem.message, 403);
  if (problem.kind === 'too-large') return new QueryError('RequestEntityTooLarge', problem.message, 413);
  return new QueryError('InvalidQueryParameter', problem.message, 400);
}

/** True when an unsigned form request names this API version (`Version=…`). */
export function isUnsignedQueryFor(req: ServiceRequest, version: string): boolean {
  const ct = req.headers['content-type'] ?? '';
  return ct.startsWith('application/x-www-form-urlencoded') && new RegExp(`(^|&)Version=${version}(&|$)`).test(req.body.toString('utf8'));
}

/**
 * The HTTP side of a Query service: routes by `dialect`, dispatches on `Action` to `operations`
 * and words the server's refusals; `requestId` is asked once a request, before its operation runs.
 *
 * @example
 * service: queryService(STS_DIALECT, { GetCallerIdentity: (params, req) => '<Arn>…</Arn>' }, () => ids.uuid()),
 */
export function queryService(dialect: QueryDialect, operations: Readonly<Record<string, QueryOperation>>, requestId: () => string): SandboxService {
  return {
    matches: (req) => (req.signingService !== undefined ? req.signingService === dialect.signingName : isUnsignedQueryFor(req, dialect.version)),
    handle: async (req) => serveQuery(req, dialect, operations, requestId()),
    reject: (_req, problem) => queryErrorResponse(queryProblem(problem), dialect, requestId()),
  };
}

/** Serves one Query request: dispatches on `Action` and wraps the answer or the error in the dialect's envelope. */
export function serveQuery(req: ServiceRequest, dialect: QueryDialect, operations: Readonly<Record<string, QueryOperation>>, requestId: string): ServiceResponse {
  try {
    const params = readForm(req, dialect.readsUrlQuery);
    const action = actionOf(params);
    // Only the table's own keys: `toString`, `__proto__` and the like are not operations.
    const op = Object.hasOwn(operations, action) ? operations[action] : undefined;
    if (!op) throw new QueryError('InvalidAction', dialect.invalidAction(action, params.get('Version')));
    const result = op(params, req);
    const metadata: XmlNode = ['ResponseMetadata', [['RequestId', requestId]]];
    return xmlResponse(200, dialect, requestId, [`${action}Response`, [[`${action}Result`, result], metadata]]);
  } catch (err) {
    if (!(err instanceof QueryError)) throw err;
    return queryErrorResponse(err, dialect, requestId);
  }
}

/** A Query error in the dialect's envelope (`<ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/>`). */
export function queryErrorResponse(err: QueryError, dialect: QueryDialect, requestId: string): ServiceResponse {
  const error: XmlNode = ['Error', [['Type', err.type], ['Code', xmlText(err.code)], ['Message', xmlText(err.message)]]];
  return xmlResponse(err.status, dialect, requestId, ['ErrorResponse', [error, ['RequestId', requestId]]]);
}

/** An element: its name and either its inner XML (already escaped) or its child elements. */
type XmlNode = readonly [name: string, content: string | readonly XmlNode[]];

function xmlResponse(status: number, dialect: QueryDialect, requestId: string, [name, content]: XmlNode): ServiceResponse {
  const root = render([`${name} xmlns="${dialect.namespace}"`, content], dialect.layout, 0);
  return {
    status,
    headers: { 'Content-Type': 'text/xml', 'x-amzn-RequestId': requestId },
    body: dialect.layout === 'compact' ? `<?xml version="1.0"?>\n${root}` : `${root}\n`,
  };
}

/** One element as XML; `indented` puts each child on its own line. `head` may carry attributes after the name. */
function render([head, content]: XmlNode, layout: QueryLayout, depth: number): string {
  const close = `</${head.split(' ', 1)[0]}>`;
  if (typeof content === 'string') return `<${head}>${content}${close}`;
  if (layout === 'compact') return `<${head}>${content.map((child) => render(child, layout, 0)).join('')}${close}`;
  const pad = '  '.repeat(depth);
  return `<${head}>\n${content.map((child) => `${pad}  ${render(child, layout, depth + 1)}\n`).join('')}${pad}${close}`;
}
