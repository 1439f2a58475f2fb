/**
 * `lifeboat console`: the local console, the sandbox's web page at its own address. With a
 * sandbox already running for the data directory, prints the console's address (and opens it
 * with `--open`); otherwise starts one, as `lifeboat sandbox` does, and runs until Ctrl-C.
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { ExitCode } from '../errors.js';
import type { Io } from '../io.js';
import { DEFAULT_SANDBOX_DATA_DIR, findRunningSandbox } from '../local/endpoint.js';
import { sandbox, type SandboxCommandOptions } from './sandbox.js';

/** Options of `lifeboat console`: those of `lifeboat sandbox`, and `--open`. */
export interface ConsoleCommandOptions extends SandboxCommandOptions {
  /** Open the console in the desktop's browser (`xdg-open`, `open` on macOS). */
  readonly open?: boolean;
  /** How a URL is opened (tests replace it). @default the platform's opener, detached */
  readonly opener?: (url: string) => void;
}

/** The console's address of a sandbox endpoint. */
export function consoleUrl(endpoint: string): string {
  return `${endpoint}/`;
}

export async function consoleCommand(opts: ConsoleCommandOptions, io: Io): Promise<ExitCode> {
  const dataDir = resolve(opts.data ?? opts.dataDir ?? DEFAULT_SANDBOX_DATA_DIR);
  const open = (url: string) => {
    if (!opts.open) return;
    (opts.opener ?? openInBrowser)(url);
    io.progress(`opening ${url} in your browser`);
  };
  const running = await findRunningSandbox(dataDir);
  if (running) {
    const url = consoleUrl(running.endpoint);
    io.result(url);
    io.progress(`the console of the sandbox running for ${dataDir} (pid ${running.pid}); open it in a browser on this machine`);
    open(url);
    return ExitCode.Ok;
  }
  io.progress(`no sandbox runs for ${dataDir}: starting one (Ctrl-C stops it)`);
  return sandbox({ ...opts, onListening: (endpoint) => open(consoleUrl(endpoint)) }, io);
}

function openInBrowser(url: string): void {
  const command = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  try {
    const child = spawn(command, [url], { detached: true, stdio: 'ignore' });
    child.on('error', () => undefined);
    child.unref();
  } catch {
    // No desktop opener: the address is printed anyway.
  }
}
