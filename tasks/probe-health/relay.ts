import { InvalidInputError, TransientError } from '../_shared/errors.js';
import { signedHeaders } from '../_shared/sigv4.js';

/**
 * The relay of `probe-health` to a probe function in another region (docs/decisions/0013-failback.md):
 * Step Functions invokes Lambda functions of its own region only, and a function reaches only the
 * VPC of its own region, so the failback machine (recovery region) calls its own `probe-health`,
 * which forwards the task envelope unchanged to the probe attached to the primary region's VPC
 * and returns what that one returns, or throws what it threw (same error name and message).
 *
 * One Lambda `Invoke` (RequestResponse), signed with Signature Version 4 with the function's own
 * credentials (the Lambda environment's `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`,
 * `AWS_SESSION_TOKEN`).
 *
 * @see https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html
 */

/** Sends one HTTP request (the global fetch by default; a test passes its own). */
export type Fetcher = (url: string, init: { method: string; headers: Record<string, string>; body: string }) => Promise<{ status: number; headers: { get(name: string): string | null }; text(): Promise<string> }>;

/** `arn:aws:lambda:us-east-1:123456789012:function:name` → its region. */
export function regionOfFunction(functionArn: string): string {
  const m = /^arn:aws[a-z-]*:lambda:([a-z0-9-]+):\d{12}:function:[A-Za-z0-9_-]+$/.exec(functionArn);
  if (!m) throw new TypeError(`probe relay: expected a Lambda function ARN such as "arn:aws:lambda:us-east-1:123456789012:function:lifeboat-shop-failback-probe-health", found ${JSON.stringify(functionArn)}`);
  return m[1]!;
}

/** Invokes `functionArn` with `event` and returns its result, or throws its error by name. */
export async function relayInvoke(
  functionArn: string,
  event: unknown,
  options: { env?: NodeJS.ProcessEnv; fetcher?: Fetcher; now?: () => Date } = {},
): Promise<unknown> {
  const env = options.env ?? process.env;
  const region = regionOfFunction(functionArn);
  const accessKeyId = env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
  if (!accessKeyId || !secretAccessKey) {
    throw new TypeError('probe relay: expected the function\'s credentials in AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (Lambda sets them), found none');
  }
  const hostname = `lambda.${region}.amazonaws.com`;
  const path = `/2015-03-31/functions/${encodeURIComponent(functionArn)}/invocations`;
  const body = JSON.stringify(event);
  const headers = await signedHeaders(
    { method: 'POST', protocol: 'https:', hostname, path, headers: { host: hostname, 'content-type': 'application/json', 'x-amz-invocation-type': 'RequestResponse' }, body },
    {
      service: 'lambda',
      region,
      credentials: { accessKeyId, secretAccessKey, ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}) },
      ...(options.now ? { signingDate: options.now() } : {}),
    },
  );
  const fetcher: Fetcher = options.fetcher ?? ((url, init) => fetch(url, init));
  let res;
  try {
    res = await fetcher(`https://${hostname}${path}`, { method: 'POST', headers, body });
  } catch (error) {
    throw new TransientError(`probe relay: Invoke of ${functionArn} did not answer (${(error as Error).message}); the state machine retries`, { cause: error });
  }
  const text = await res.text();
  if (res.status === 429 || res.status >= 500) {
    throw new TransientError(`probe relay: Invoke of ${functionArn} answered HTTP ${res.status}: ${text.slice(0, 300)}; the state machine retries`);
  }
  if (res.status !== 200) {
    // The relay itself was refused (permissions, a missing function): Lambda's own error.
    const name = res.headers.get('x-amzn-errortype')?.split(':')[0] ?? `HTTP ${res.status}`;
    throw new InvalidInputError(`probe relay: Invoke of ${functionArn} refused with ${name}: ${text.slice(0, 500)}. Deploy the backup stack (it holds the failback's probe in ${region}) and check the relay's lambda:InvokeFunction permission.`);
  }
  const payload = text === '' ? null : (JSON.parse(text) as unknown);
  if (res.headers.get('x-amz-function-error') !== null) {
    // The probe threw: pass its error on with the same name (Lifeboat.HealthCheckFailed, ...).
    const p = (payload ?? {}) as { errorType?: string; errorMessage?: string };
    throw Object.assign(new Error(p.errorMessage ?? 'the probe failed without a message'), { name: p.errorType ?? 'Lifeboat.Unexpected' });
  }
  return payload;
}
