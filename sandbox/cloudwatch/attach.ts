import type { AdminRegistry } from '../admin.js';
import type { Clock } from '../clock.js';
import type { SeededRandom } from '../random.js';
import { createCloudWatchService, type AlarmNotifier, type CloudWatchChange, type CloudWatchSandbox } from './index.js';

/** The part of the sandbox context CloudWatch needs (structurally `SandboxContext`). */
export interface CloudWatchAttachContext {
  readonly clock: Clock;
  readonly random: SeededRandom;
  readonly accountId: string;
  readonly admin: AdminRegistry;
}

/**
 * Creates the CloudWatch sink on a sandbox's clock and registers `POST /_sandbox/cloudwatch.state`
 * and a `reset` hook. Mount the returned `service` on the server. `onChange` hears every change to
 * the stored metrics (see `CloudWatchServiceOptions.onChange`).
 */
export function attachCloudWatch(context: CloudWatchAttachContext, options: { onChange?: (change?: CloudWatchChange) => void; notify?: AlarmNotifier } = {}): CloudWatchSandbox {
  const cw = createCloudWatchService({ clock: context.clock, random: context.random.fork('cloudwatch'), accountId: context.accountId, onChange: options.onChange, notify: options.notify });
  context.admin.registerNamespace('cloudwatch', (action, body) => cw.admin(action, body));
  context.admin.registerReset(() => cw.reset());
  return cw;
}
