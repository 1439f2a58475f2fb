/**
 * The CLI's only door to the outside world: stdout for results, stderr for progress, warnings and
 * errors, plus the clock, sleeping and randomness, so that commands stay testable without real
 * time, real terminals or real randomness.
 *
 * Commands receive an {@link Io}; `cli/main.ts` makes one with {@link createProcessIo}, tests with
 * {@link createBufferIo}.
 */

/** Colour helpers; every function is the identity when colour is off. */
export interface Style {
  /** True when these helpers add ANSI colour codes. */
  readonly isColor: boolean;
  readonly bold: (text: string) => string;
  readonly dim: (text: string) => string;
  readonly red: (text: string) => string;
  readonly green: (text: string) => string;
  readonly yellow: (text: string) => string;
  readonly cyan: (text: string) => string;
}

/** Everything a command may do besides calling AWS. */
export interface Io {
  /**
   * Writes a result to stdout: a string as it is (a final newline added when missing), anything
   * else as one JSON document (`--json`).
   */
  result(value: unknown): void;
  /** Writes one progress line to stderr (clears the live status line first, on a TTY). */
  progress(line: string): void;
  /**
   * Shows a live status line on stderr, rewritten in place. Only on a TTY: elsewhere it does nothing,
   * so logs and pipes get the progress lines alone.
   */
  status(line: string): void;
  /** Writes a warning to stderr (`warning: …`). */
  warn(message: string): void;
  /** Writes an error to stderr, as it is. */
  error(message: string): void;
  /** Colour for stdout (on only when stdout is a TTY and colour is not disabled). */
  readonly style: Style;
  /** Colour for stderr (on only when stderr is a TTY and colour is not disabled). */
  readonly errStyle: Style;
  /** True when stderr is a terminal: live progress is shown. */
  readonly isInteractive: boolean;
  /**
   * `--debug`: show error causes exactly as recorded (stack traces, local paths) and internal
   * errors with their stack. Set by `cli/main.ts`.
   */
  readonly isDebug?: boolean;
  /** The current time. */
  now(): Date;
  /** Waits; tests resolve at once. */
  sleep(milliseconds: number): Promise<void>;
  /** `bytes` random bytes as lower-case hex (`2` → `3fa1`). */
  randomHex(bytes: number): string;
  /** The environment (for `NO_COLOR` and friends; the AWS SDK reads `process.env` itself). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /**
   * Calls `handler` on the next Ctrl-C (SIGINT) instead of letting the process die; returns a
   * function that removes it. Used by `--follow` to stop following cleanly.
   */
  onInterrupt(handler: () => void): () => void;
}

const ANSI = { bold: [1, 22], dim: [2, 22], red: [31, 39], green: [32, 39], yellow: [33, 39], cyan: [36, 39] } as const;

/**
 * Makes the colour helpers.
 *
 * @param isColor whether to emit ANSI codes
 */
export function makeStyle(isColor: boolean): Style {
  const wrap =
    ([open, close]: readonly [number, number]) =>
    (text: string): string =>
      isColor ? `\u001b[${open}m${text}\u001b[${close}m` : text;
  return {
    isColor,
    bold: wrap(ANSI.bold),
    dim: wrap(ANSI.dim),
    red: wrap(ANSI.red),
    green: wrap(ANSI.green),
    yellow: wrap(ANSI.yellow),
    cyan: wrap(ANSI.cyan),
  };
}

/**
 * Decides whether a stream gets colour: `NO_COLOR` (any value) turns it off, `FORCE_COLOR` (not `0`)
 * turns it on, otherwise only a TTY gets colour.
 *
 * @see https://no-color.org/
 */
export function isColorWanted(isTty: boolean, env: Readonly<Record<string, string | undefined>>): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return isTty && env.TERM !== 'dumb';
}

function formatResult(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value, null, 2);
  return text.endsWith('\n') ? text : `${text}\n`;
}

/** The streams an {@link Io} writes to. */
interface Sink {
  stdout(text: string): void;
  stderr(text: string): void;
}

function makeIo(
  sink: Sink,
  options: {
    isStdoutTty: boolean;
    isStderrTty: boolean;
    env: Readonly<Record<string, string | undefined>>;
    now: () => Date;
    sleep: (ms: number) => Promise<void>;
    randomHex: (bytes: number) => string;
    onInterrupt: (handler: () => void) => () => void;
  },
): Io {
  const errStyle = makeStyle(isColorWanted(options.isStderrTty, options.env));
  let hasStatusLine = false;
  const clearStatus = (): void => {
    if (hasStatusLine) {
      sink.stderr('\r\u001b[2K');
      hasStatusLine = false;
    }
  };
  return {
    result: (value) => {
      clearStatus();
      sink.stdout(formatResult(value));
    },
    progress: (line) => {
      clearStatus();
      sink.stderr(`${line}\n`);
    },
    status: (line) => {
      if (!options.isStderrTty) return;
      clearStatus();
      sink.stderr(line);
      hasStatusLine = true;
    },
    warn: (message) => {
      clearStatus();
      sink.stderr(`${errStyle.yellow('warning:')} ${message}\n`);
    },
    error: (message) => {
      clearStatus();
      sink.stderr(message.endsWith('\n') ? message : `${message}\n`);
    },
    style: makeStyle(isColorWanted(options.isStdoutTty, options.env)),
    errStyle,
    isInteractive: options.isStderrTty,
    now: options.now,
    sleep: options.sleep,
    randomHex: options.randomHex,
    env: options.env,
    onInterrupt: options.onInterrupt,
  };
}

/** The {@link Io} of the running process: real streams, clock, timers and randomness. */
export function createProcessIo(): Io {
  return makeIo(
    { stdout: (text) => process.stdout.write(text), stderr: (text) => process.stderr.write(text) },
    {
      isStdoutTty: process.stdout.isTTY === true,
      isStderrTty: process.stderr.isTTY === true,
      env: process.env,
      now: () => new Date(),
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      // node:crypto on first use: importing it builds its module facade, which loads Web Crypto, a
      // cost every command paid, `--help` included (issue 8, "Fast to start").
      randomHex: (bytes) => process.getBuiltinModule('node:crypto').randomBytes(bytes).toString('hex'),
      onInterrupt: (handler) => {
        process.once('SIGINT', handler);
        return () => process.off('SIGINT', handler);
      },
    },
  );
}

/** Options of {@link createBufferIo}. */
export interface BufferIoOptions {
  /** Pretend stdout is a TTY. @default false */
  readonly isStdoutTty?: boolean;
  /** Pretend stderr is a TTY. @default false */
  readonly isStderrTty?: boolean;
  /** The environment. @default {} */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** The fixed (or advancing) clock. @default 2026-11-25T10:30:00Z, advanced by every sleep */
  readonly now?: () => Date;
  /** Random hex. @default a counter: `0001`, `0002`, … */
  readonly randomHex?: (bytes: number) => string;
}

/** An {@link Io} that records what was written, for tests and for callers that want the text. */
export interface BufferIo extends Io {
  /** Everything written to stdout. */
  readonly stdout: () => string;
  /** Everything written to stderr. */
  readonly stderr: () => string;
  /** The durations passed to `sleep`, in order. */
  readonly sleeps: number[];
  /** Simulates Ctrl-C: calls the handlers registered with `onInterrupt`. */
  interrupt(): void;
}

/**
 * An in-memory {@link Io}: sleeping resolves at once and advances the default clock by the time slept,
 * so following an execution costs no wall time.
 *
 * @example const io = createBufferIo(); await main(['list', '--plan', file], io); io.stdout();
 */
export function createBufferIo(options: BufferIoOptions = {}): BufferIo {
  let out = '';
  let err = '';
  let clock = Date.parse('2026-11-25T10:30:00.000Z');
  let counter = 0;
  const sleeps: number[] = [];
  const interruptHandlers = new Set<() => void>();
  const io = makeIo(
    { stdout: (text) => (out += text), stderr: (text) => (err += text) },
    {
      isStdoutTty: options.isStdoutTty ?? false,
      isStderrTty: options.isStderrTty ?? false,
      env: options.env ?? {},
      now: options.now ?? (() => new Date(clock)),
      sleep: async (ms) => {
        sleeps.push(ms);
        clock += ms;
      },
      randomHex:
        options.randomHex ??
        ((bytes) => {
          counter += 1;
          return counter.toString(16).padStart(bytes * 2, '0').slice(-bytes * 2);
        }),
      onInterrupt: (handler) => {
        interruptHandlers.add(handler);
        return () => interruptHandlers.delete(handler);
      },
    },
  );
  const interrupt = (): void => {
    for (const handler of [...interruptHandlers]) {
      interruptHandlers.delete(handler);
      handler();
    }
  };
  return { ...io, stdout: () => out, stderr: () => err, sleeps, interrupt };
}
