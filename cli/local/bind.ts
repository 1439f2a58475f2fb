/**
 * Binds the project into a sandbox: the task Lambdas become in-process handlers under the names
 * the rendered workflows use, and EC2 + CloudWatch are mounted beside Step Functions. This is the
 * only place (with infra/) where a task id meets its code; `sandbox/` itself stays a general
 * emulator that knows nothing of Lifeboat.
 */
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Sandbox } from '../../sandbox/index.js';
import { TASK_IDS, TASK_TIMEOUT_SECONDS } from '../../schemas/tasks/ids.js';
import { PROBE_PROXY_ENV } from '../../tasks/probe-health/probe.js';

/** Options of {@link bindProject}. */
export interface BindOptions {
  /**
   * Where the tasks' structured log lines go (what CloudWatch Logs holds for a deployed Lambda).
   * @default `<dataDir>/lambda.log` for a persistent sandbox, else stderr
   */
  readonly taskLog?: (line: string) => void;
}

/** The task code and its SDK clients: loaded on the first task invocation, not at bind time. */
interface TaskModules {
  readonly handlers: typeof import('../../tasks/index.js')['TASK_HANDLERS'];
  readonly taskLog: typeof import('../../tasks/_shared/define-task.js')['taskLog'];
  readonly resetClients: () => void;
}

let tasks: Promise<TaskModules> | undefined;
let loadedTasks: TaskModules | undefined;
/** The task log of the latest bind (the tasks' log sink is one per process, as before). */
let latestTaskLog: ((line: string) => void) | undefined;

/**
 * Loads the task handlers (and with them every AWS SDK client they use) once. A command that only
 * reads the sandbox (`lifeboat history --local`) never runs a task, so it never pays for them.
 */
function loadTasks(): Promise<TaskModules> {
  tasks ??= (async () => {
    const [index, defineTask, clients, s3, approval] = await Promise.all([
      import('../../tasks/index.js'),
      import('../../tasks/_shared/define-task.js'),
      import('../../tasks/_shared/clients.js'),
      import('../../tasks/_shared/s3.js'),
      import('../../tasks/request-approval/request-approval.js'),
    ]);
    if (latestTaskLog) defineTask.taskLog.write = latestTaskLog;
    loadedTasks = {
      handlers: index.TASK_HANDLERS,
      taskLog: defineTask.taskLog,
      resetClients: () => {
        clients.resetClients();
        s3.resetS3Clients();
        approval.resetSnsClients();
      },
    };
    return loadedTasks;
  })();
  return tasks;
}

/**
 * Registers every task handler as `lifeboat-<task id>` (in every region) and points the handlers'
 * SDK clients at the sandbox through the standard configuration (`AWS_ENDPOINT_URL`, dummy keys),
 * exactly as a deployed Lambda reaches EC2 through its own environment. The task code loads on the
 * first invocation, the console's Lifeboat page on its first view.
 */
export async function bindProject(sandbox: Sandbox, options: BindOptions = {}): Promise<void> {
  const dataDir = sandbox.dataDir;
  latestTaskLog = options.taskLog ?? (dataDir ? (line) => appendFileSync(join(dataDir, 'lambda.log'), `${line}\n`) : (line) => process.stderr.write(`${line}\n`));
  if (loadedTasks) loadedTasks.taskLog.write = latestTaskLog;
  for (const id of TASK_IDS) {
    sandbox.lambdas.register(`lifeboat-${id}`, async (event) => (await loadTasks()).handlers[id](event), { timeoutSeconds: TASK_TIMEOUT_SECONDS[id] });
  }
  pointSdkAt(sandbox.endpoint);
  let page: Promise<(rest: string, query: URLSearchParams) => Promise<string | undefined>> | undefined;
  sandbox.console.addPage({
    id: 'lifeboat',
    title: 'Lifeboat plans',
    async render(rest, query) {
      page ??= import('./console-pages.js').then((m) => m.lifeboatPageRenderer(sandbox));
      return (await page)(rest, query);
    },
  });
}

export function pointSdkAt(endpoint: string): void {
  process.env.AWS_ENDPOINT_URL = endpoint;
  process.env[PROBE_PROXY_ENV] = endpoint;
  process.env.AWS_ACCESS_KEY_ID = 'sandbox';
  process.env.AWS_SECRET_ACCESS_KEY = 'sandbox';
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;
  // Clients cached before this point would keep the old endpoint; none exist before the tasks load.
  loadedTasks?.resetClients();
}
