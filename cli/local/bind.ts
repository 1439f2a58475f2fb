/**
 * Binds the project into a sandbox: the task Lambdas become in-process handlers under the names
 * the rendered workflows use, and EC2 + CloudWatch are mounted beside Step Functions. This is the
 * only place (with infra/) where a task id meets its code; `sandbox/` itself stays a general
 * emulator that knows nothing of Lifeboat.
 */
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Sandbox } from '../../sandbox/index.js';
import { addLifeboatPages } from './console-pages.js';
import { TASK_IDS, TASK_TIMEOUT_SECONDS } from '../../schemas/tasks/index.js';
import { TASK_HANDLERS } from '../../tasks/index.js';
import { resetClients } from '../../tasks/_shared/clients.js';
import { resetS3Clients } from '../../tasks/_shared/s3.js';
import { taskLog } from '../../tasks/_shared/define-task.js';

/** Options of {@link bindProject}. */
export interface BindOptions {
  /**
   * Where the tasks' structured log lines go (what CloudWatch Logs holds for a deployed Lambda).
   * @default `<dataDir>/lambda.log` for a persistent sandbox, else stderr
   */
  readonly taskLog?: (line: string) => void;
}

/**
 * Registers every task handler as `lifeboat-<task id>` (in every region) and points the handlers'
 * SDK clients at the sandbox through the standard configuration (`AWS_ENDPOINT_URL`, dummy keys),
 * exactly as a deployed Lambda reaches EC2 through its own environment.
 */
export async function bindProject(sandbox: Sandbox, options: BindOptions = {}): Promise<void> {
  const dataDir = sandbox.dataDir;
  taskLog.write = options.taskLog ?? (dataDir ? (line) => appendFileSync(join(dataDir, 'lambda.log'), `${line}\n`) : (line) => process.stderr.write(`${line}\n`));
  for (const id of TASK_IDS) {
    const handler = TASK_HANDLERS[id];
    sandbox.lambdas.register(`lifeboat-${id}`, (event) => handler(event), { timeoutSeconds: TASK_TIMEOUT_SECONDS[id] });
  }
  pointSdkAt(sandbox.endpoint);
  addLifeboatPages(sandbox);
}

/**
 * Sets the environment the AWS SDK reads so that every client made afterwards in this process
 * talks to the sandbox. Credentials are dummies: the sandbox checks no signature.
 */
export function pointSdkAt(endpoint: string): void {
  process.env.AWS_ENDPOINT_URL = endpoint;
  process.env.AWS_ACCESS_KEY_ID = 'sandbox';
  process.env.AWS_SECRET_ACCESS_KEY = 'sandbox';
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;
  resetClients();
  resetS3Clients();
}
