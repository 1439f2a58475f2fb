/**
 * The AWS Query protocol as the XML services answer it (STS, IAM): a form body
 * (`Action=…&Version=…&Param.member.1=…`) in, `<ActionResponse><ActionResult>…` or
 * `<ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/>` out. Shared by the small
 * Query services so each one only states its operations.
 *
 * @see https://docs.aws.amazon.com/STS/latest/APIReference/CommonErrors.html
 */
import type { FrontEndProblem, ServiceRequest, ServiceResponse } from './service.js';

/** An error of a Query service: AWS's code, message, HTTP status and fault side. */
export class QueryError extends Error {
  constructor(readonly code: string, message: string, readonly status = 400, readonly type: 'Sender' | 'Receiver' = 'Sender') {
    super(message);
    this.name = 'QueryError';
  }
}

/** Escapes text for an XML element or attribute. */
export function xmlText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** The parameters of a form body (and of the URL query string, which the CLI may use for GET). */
export function readForm(req: ServiceRequest): Map<string, string> {
  const params = new Map<string, string>();
  const sources = [req.query ?? '', req.body.toString('utf8')];
  for (const source of sources) {
    for (const part of source.split('&')) {
      if (part === '') continue;
      const eq = part.indexOf('=');
      const decode = (s: string) => decodeURIComponent(s.replace(/\+/g, ' '));
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

/** One operation: the parameters and the request, answering the inner XML of `<ActionResult>`. */
export type QueryOperation = (params: Map<string, string>, req: ServiceRequest) => string;

/**
 * Serves one Query request: dispatches on `Action`, wraps the answer or the error in AWS's
 * envelope for `namespace` (e.g. `https://sts.amazonaws.com/doc/2011-06-15/`).
 */
export function serveQuery(req: ServiceRequest, namespace: string, operations: Readonly<Record<string, QueryOperation>>, requestId: string): ServiceResponse {
  const headers = { 'Content-Type': 'text/xml', 'x-amzn-RequestId': requestId };
  try {
    const params = readForm(req);
    const action = actionOf(params);
    const op = Object.prototype.hasOwnProperty.call(operations, action) ? operations[action] : undefined;
    if (!op) throw new QueryError('InvalidAction', `Could not find operation ${action} for version ${params.get('Version') ?? 'NO_VERSION_SPECIFIED'}`);
    const result = op(params, req);
    return {
      status: 200,
      headers,
      body: `<${action}Response xmlns="${namespace}">\n  <${action}Result>${result}</${action}Result>\n  <ResponseMetadata>\n    <RequestId>${requestId}</RequestId>\n  </ResponseMetadata>\n</${action}Response>\n`,
    };
  } catch (err) {
    if (!(err instanceof QueryError)) throw err;
    return queryErrorResponse(err, namespace, requestId);
  }
}

/** A Query error in AWS's envelope for `namespace` (`<ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/>`). */
export function queryErrorResponse(err: QueryError, namespace: string, requestId: string, prolog = ''): ServiceResponse {
  return {
    status: err.status,
    headers: { 'Content-Type': 'text/xml', 'x-amzn-RequestId': requestId },
    body: `${prolog}<ErrorResponse xmlns="${namespace}">\n  <Error>\n    <Type>${err.type}</Type>\n    <Code>${xmlText(err.code)}</Code>\n    <Message>${xmlText(err.message)}</Message>\n  </Error>\n  <RequestId>${requestId}</RequestId>\n</ErrorResponse>\n`,
  };
}
