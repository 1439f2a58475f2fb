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
import { InProcessHttpHandler } from './in-process-http.js';

/** Options of {@link bindProject}. */
export interface BindOptions {
  /**
   * Where the tasks' structured log lines go (what CloudWatch Logs holds for a deployed Lambda).
   * @default `<dataDir>/lambda.log` for a persistent sandbox, else stderr
   */
  readonly taskLog?: (line: string) => void;
  /**
   * How the tasks' SDK clients reach the sandbox: `in-process` hands each request to the sandbox's
   * front end without a socket (the SDK serialises, signs and parses as against AWS; only TCP and
   * HTTP/1.1 framing are skipped: `in-process-http.ts`); `http` goes over the loopback connection
   * `AWS_ENDPOINT_URL` names, as a deployed Lambda reaches AWS.
   * @default 'in-process'
   */
  readonly transport?: 'in-process' | 'http';
}

/** The task code and its SDK clients: loaded on the first task invocation, not at bind time. */
interface TaskModules {
  readonly handlers: typeof import('../../tasks/index.js')['TASK_HANDLERS'];
  readonly taskLog: typeof import('../../tasks/_shared/define-task.js')['taskLog'];
  readonly useRequestHandler: (handler: InProcessHttpHandler | undefined) => void;
  readonly resetClients: () => void;
}

let tasks: Promise<TaskModules> | undefined;
let loadedTasks: TaskModules | undefined;
/** The task log of the latest bind (the tasks' log sink is one per process, as before). */
let latestTaskLog: ((line: string) => void) | undefined;
/** The request handler of the latest bind (one per process, as `AWS_ENDPOINT_URL` is), if in process. */
let latestHandler: InProcessHttpHandler | undefined;

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
    clients.useRequestHandler(latestHandler as unknown as Readonly<Record<string, unknown>> | undefined);
    loadedTasks = {
      handlers: index.TASK_HANDLERS,
      taskLog: defineTask.taskLog,
      useRequestHandler: (handler) => clients.useRequestHandler(handler as unknown as Readonly<Record<string, unknown>> | undefined),
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
    sandbox.lambdas.register(`lifeboat-${id}`, async (event, context) => (await loadTasks()).handlers[id](event, context), { timeoutSeconds: TASK_TIMEOUT_SECONDS[id] });
  }
  latestHandler = (options.transport ?? 'in-process') === 'in-process' ? new InProcessHttpHandler({
    dispatch: (request) => sandbox.server.dispatch(request),
    // Read at each request: a sandbox bound before it listens has no port yet.
    get port() {
      return sandbox.port;
    },
  }) : undefined;
  loadedTasks?.useRequestHandler(latestHandler);
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
