import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { EC2Client } from '@aws-sdk/client-ec2';
import { SFNClient } from '@aws-sdk/client-sfn';

/**
 * SDK attempts per call when the environment does not say otherwise (`AWS_MAX_ATTEMPTS`).
 *
 * One attempt: retries belong to the workflow's Retry fields, where they are recorded in the
 * execution history and run on the sandbox's virtual clock (docs/decisions/0001).
 */
export const DEFAULT_MAX_ATTEMPTS = 1;

/** Request timeouts, so a hung connection fails fast as `Lifeboat.Transient` instead of eating the Lambda's time. */
const REQUEST_HANDLER = { connectionTimeout: 3_000, requestTimeout: 30_000 } as const;

const ec2Clients = new Map<string, EC2Client>();
const cloudWatchClients = new Map<string, CloudWatchClient>();
const sfnClients = new Map<string, SFNClient>();

function maxAttempts(): number | undefined {
  // The SDK reads AWS_MAX_ATTEMPTS itself; only set our default when the environment is silent.
  return process.env.AWS_MAX_ATTEMPTS ? undefined : DEFAULT_MAX_ATTEMPTS;
}

/**
 * The EC2 client for `region`, created on first use and cached for the Lambda's lifetime.
 *
 * Endpoint and credentials come from the SDK's standard configuration (for the sandbox,
 * `AWS_ENDPOINT_URL` and dummy keys in the environment); nothing here knows about the sandbox.
 */
export function ec2Client(region: string): EC2Client {
  let client = ec2Clients.get(region);
  if (!client) {
    client = new EC2Client({ region, maxAttempts: maxAttempts(), requestHandler: REQUEST_HANDLER });
    ec2Clients.set(region, client);
  }
  return client;
}

/** The CloudWatch client for `region`, created on first use and cached. */
export function cloudWatchClient(region: string): CloudWatchClient {
  let client = cloudWatchClients.get(region);
  if (!client) {
    client = new CloudWatchClient({ region, maxAttempts: maxAttempts(), requestHandler: REQUEST_HANDLER });
    cloudWatchClients.set(region, client);
  }
  return client;
}

/** The Step Functions client for `region` (the collector and the backup-overlap guard read executions), created on first use and cached. */
export function sfnClient(region: string): SFNClient {
  let client = sfnClients.get(region);
  if (!client) {
    client = new SFNClient({ region, maxAttempts: maxAttempts(), requestHandler: REQUEST_HANDLER });
    sfnClients.set(region, client);
  }
  return client;
}

/** Drops the cached clients (for tests that change the environment between cases). */
export function resetClients(): void {
  for (const client of ec2Clients.values()) client.destroy();
  for (const client of cloudWatchClients.values()) client.destroy();
  for (const client of sfnClients.values()) client.destroy();
  ec2Clients.clear();
  cloudWatchClients.clear();
  sfnClients.clear();
}
