/**
 * The contract between the sandbox's HTTP server and the services behind it (Step Functions,
 * EC2, CloudWatch, admin). The server reads the request, decides which service it is for
 * (X-Amz-Target prefix, or `Action=` in a form body), and hands it over as a `ServiceRequest`.
 */
export interface ServiceRequest {
  readonly method: string;
  /** Path without the query string, e.g. `/`. */
  readonly path: string;
  /** The query string without its `?` (`list-type=2&prefix=a`), empty when there is none. */
  readonly query?: string;
  /** Lower-case header names. */
  readonly headers: Readonly<Record<string, string>>;
  /** The body, already gunzipped when `content-encoding: gzip` was sent. */
  readonly body: Buffer;
  /**
   * The region from the SigV4 credential scope (`Credential=<key>/<date>/<region>/<service>/aws4_request`),
   * or the server's default region when the request is unsigned.
   */
  readonly region: string;
  /** The service name from the credential scope (`states`, `ec2`, `monitoring`), if signed. */
  readonly signingService?: string;
  /** The access key id from the SigV4 credential (`Credential=<key>/…`), if signed. */
  readonly accessKeyId?: string;
  /**
   * True when the request came from another process (the AWS CLI, boto3, another Node process),
   * false when this process made it (an in-process Lambda handler, a test's client, a `--local`
   * command). See `local-sockets.ts`.
   */
  readonly isFromOtherProcess?: boolean;
}

/** What a service answers. The server adds `x-amzn-RequestId` and `Date` (wall clock) itself. */
export interface ServiceResponse {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body: string | Buffer;
  /**
   * The `Content-Length` to announce when it is not the body's (a HEAD answer describes a body it
   * does not send). @default the body's length
   */
  readonly contentLength?: number;
}

/**
 * A request the server refuses before any service reads it: a body too large (before or after
 * gunzipping), a body that does not decode, JSON nested too deep, or a request from a web page or
 * through a foreign host name (an `Origin` or `Host` that is not the sandbox's own loopback address).
 */
export interface FrontEndProblem {
  readonly kind: 'too-large' | 'bad-encoding' | 'too-deep' | 'forbidden';
  /** What was wrong, where, and what was expected. */
  readonly message: string;
}

/** One service mounted on the sandbox server. */
export interface SandboxService {
  /** True when this service answers the request (for a body too large, `body` holds its first bytes). */
  matches(req: ServiceRequest): boolean;
  handle(req: ServiceRequest): Promise<ServiceResponse>;
  /**
   * Renders a problem the server found before handing the request over, as an error of this
   * service's own protocol (EC2 answers XML, JSON services JSON). Without it the server answers
   * in the AWS JSON 1.0 shape (`{"__type": "com.amazon.coral.service#<Code>", "message": …}`).
   */
  reject?(req: ServiceRequest, problem: FrontEndProblem): ServiceResponse;
}
