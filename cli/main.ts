/**
 * `lifeboat`: the command table and the single error boundary. The only module that decides the
 * exit code; commands return an {@link ExitCode} or throw.
 *
 * Errors: a {@link UsageError} (exit 2) or an {@link OperationError} (exit 1) prints its message
 * and hint, never a stack; anything else is a bug: "internal error" (exit 70), the stack with
 * `--debug`. Results go to stdout, progress and errors to stderr.
 */
import { type FlagSpec, type ParsedArgs, type PositionalSpec, closest, parseArgs } from './args.js';
import type { ConnectionOptions } from './aws.js';
import { ExitCode, OperationError, UsageError } from './errors.js';
import { type Io, createProcessIo } from './io.js';
import type { RunKind } from './machines.js';
import { KNOWN_REGIONS, isKnownRegion } from '../schemas/regions.js';

/** One entry of the command table. */
interface CommandSpec {
  /** The words after `lifeboat` (`['plan', 'check']`). */
  readonly words: readonly string[];
  /** One line of help. */
  readonly summary: string;
  readonly positionals: readonly PositionalSpec[];
  readonly flags: Readonly<Record<string, FlagSpec>>;
  readonly examples: readonly string[];
  run(args: ParsedArgs, io: Io): Promise<ExitCode>;
}

const HELP: FlagSpec = { type: 'boolean', help: 'show this help' };
const DEBUG: FlagSpec = { type: 'boolean', help: 'show error causes as recorded (stack traces, local paths), and the stack of an internal error' };
const JSON_FLAG: FlagSpec = { type: 'boolean', help: 'print one JSON document on stdout' };

/** `--region`, `--profile`, `--local`, `--data`: how every AWS-facing command connects. */
const CONNECTION: Readonly<Record<string, FlagSpec>> = {
  region: { type: 'string', value: 'REGION', help: "AWS region (default: the plan's region for the command, else the SDK's)" },
  profile: { type: 'string', value: 'PROFILE', help: 'AWS profile of the shared config and credentials files' },
  local: { type: 'boolean', help: 'use the local sandbox instead of AWS' },
  data: { type: 'string', value: 'DIR', help: "the sandbox's data directory, with --local (default .lifeboat/sandbox)" },
};
const PLAN: FlagSpec = { type: 'string', value: 'FILE', help: 'the plan file: names the state machines and their regions' };
const STATE_MACHINE: FlagSpec = { type: 'string', value: 'ARN', help: 'a state machine ARN, instead of the one the plan names' };
const FOLLOW: FlagSpec = { type: 'boolean', help: 'show progress until the run ends; exit 0 only if it SUCCEEDED' };
const EXECUTION: PositionalSpec = { name: 'EXECUTION', help: 'an execution ARN, or its name with --plan FILE or --state-machine ARN' };

function connection(args: ParsedArgs, command: string): ConnectionOptions {
  const f = args.flags;
  if (typeof f.region === 'string' && !isKnownRegion(f.region)) {
    const suggestion = closest(f.region, KNOWN_REGIONS);
    throw new UsageError(`${command}: --region expects an AWS region such as "us-west-2", found ${JSON.stringify(f.region)}`, {
      hint: `${suggestion === undefined ? '' : `did you mean '${suggestion}'? `}the regions are ${KNOWN_REGIONS.join(', ')}`,
    });
  }
  return {
    ...(typeof f.region === 'string' ? { region: f.region } : {}),
    ...(typeof f.profile === 'string' ? { profile: f.profile } : {}),
    isLocal: f.local === true,
    ...(typeof f.data === 'string' ? { dataDir: f.data } : {}),
  };
}

function targets(args: ParsedArgs, command: string): { plan?: string; stateMachine?: string } {
  const f = args.flags;
  if (typeof f.plan === 'string' && typeof f['state-machine'] === 'string') {
    throw new UsageError(`${command}: give --plan FILE or --state-machine ARN, not both`, {
      hint: "--plan finds the plan's machines by name in its regions; --state-machine names one machine directly",
    });
  }
  return {
    ...(typeof f.plan === 'string' ? { plan: f.plan } : {}),
    ...(typeof f['state-machine'] === 'string' ? { stateMachine: f['state-machine'] } : {}),
  };
}

function positiveInteger(command: string, flag: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  const text = String(value);
  if (!/^\d+$/.test(text) || Number(text) < 1) {
    throw new UsageError(`${command}: --${flag} expects a whole number above 0, found ${JSON.stringify(text)}`);
  }
  return Number(text);
}

function startCommand(kind: RunKind, summary: string, examples: string[]): CommandSpec {
  const flags: Record<string, FlagSpec> = {
    plan: PLAN,
    'state-machine': STATE_MACHINE,
    ...(kind === 'failback'
      ? {
          'failover-execution': {
            type: 'string',
            value: 'ARN',
            help: 'fail back the instances of this failover execution (default: the newest failover whose instances still run)',
          } satisfies FlagSpec,
        }
      : {}),
    ...(kind === 'backup' || kind === 'failback'
      ? {}
      : {
          'recovery-point': {
            type: 'string',
            value: 'WORKLOAD=ami-…|TIME',
            isMultiple: true,
            help: 'pin a workload to an AMI, or to the newest verified point at or before an ISO time',
          } satisfies FlagSpec,
        }),
    follow: FOLLOW,
    json: JSON_FLAG,
    ...CONNECTION,
    debug: DEBUG,
    help: HELP,
  };
  return {
    words: [kind],
    summary,
    positionals: [],
    flags,
    examples,
    run: async (args, io) => {
      const { start } = await import('./commands/start.js');
      const pins = args.flags['recovery-point'];
      return start(
        {
          kind,
          ...connection(args, `lifeboat ${kind}`),
          ...targets(args, `lifeboat ${kind}`),
          recoveryPoints: Array.isArray(pins) ? pins : [],
          ...(typeof args.flags['failover-execution'] === 'string' ? { failoverExecution: args.flags['failover-execution'] } : {}),
          follow: args.flags.follow === true,
          json: args.flags.json === true,
        },
        io,
      );
    },
  };
}

/**
 * Loads a command module that another part provides (`sandbox`, `demo`) and calls its export. The
 * specifier is a variable so the CLI builds and runs without it; a missing module is a usage error.
 */
async function external(file: string, exportName: string, opts: Record<string, unknown>, io: Io): Promise<ExitCode> {
  const specifier = `./commands/${file}.js`;
  let module: Record<string, unknown>;
  try {
    module = (await import(specifier)) as Record<string, unknown>;
  } catch (error) {
    const text = String((error as Error).message);
    if (((error as { code?: string }).code === 'ERR_MODULE_NOT_FOUND' || /Cannot find module|Failed to load/.test(text)) && text.includes(`commands/${file}`)) {
      throw new UsageError(`lifeboat ${file}: the sandbox is not available in this build (cli/commands/${file}.ts is missing)`, {
        hint: 'run against AWS, or update lifeboat',
      });
    }
    throw error;
  }
  const run = module[exportName];
  if (typeof run !== 'function') throw new TypeError(`cli/commands/${file}.ts: expected an export ${exportName}(opts, io), found none`);
  return (await (run as (o: unknown, i: Io) => Promise<ExitCode>)(opts, io)) ?? ExitCode.Ok;
}

/** The command table: every command, its flags, one line of help and examples. */
const COMMANDS: readonly CommandSpec[] = [
  {
    words: ['plan', 'check'],
    summary: 'validate a plan and print every issue (path, expected, found)',
    positionals: [{ name: 'FILE', help: 'the plan JSON file' }],
    flags: { json: JSON_FLAG, debug: DEBUG, help: HELP },
    examples: ['lifeboat plan check examples/small.plan.json', 'lifeboat plan check plan.json --json'],
    run: async (args, io) => {
      const { planCheck } = await import('./commands/plan-check.js');
      return planCheck({ file: args.positionals[0], json: args.flags.json === true }, io);
    },
  },
  startCommand('backup', "start a backup in the plan's primary region", [
    'lifeboat backup --plan shop.plan.json --follow',
    'lifeboat backup --state-machine arn:aws:states:us-east-1:123456789012:stateMachine:lifeboat-shop-backup',
  ]),
  startCommand('failover', "start a failover in the plan's recovery region (newest verified recovery points unless pinned)", [
    'lifeboat failover --plan shop.plan.json --follow',
    'lifeboat failover --plan shop.plan.json --recovery-point db=ami-0123456789abcdef0 --recovery-point web=2026-11-25T10:30:00Z',
  ]),
  startCommand('drill', 'start a drill: launch into the isolated subnets, verify, always tear down', [
    'lifeboat drill --plan shop.plan.json --follow',
    'lifeboat drill --plan examples/small.plan.json --local --follow',
  ]),
  startCommand('failback', "return a failed-over plan to its primary region: back up the recovered instances, launch them there (after approval where the plan asks, with health checks), move traffic back, retire them after the hold", [
    'lifeboat failback --plan shop.plan.json --follow',
    'lifeboat failback --plan shop.plan.json --failover-execution arn:aws:states:us-west-2:123456789012:execution:lifeboat-shop-failover:failover-20261125T103000Z-3fa1',
  ]),
  {
    words: ['history'],
    summary: "show one run's timeline: states, start, duration, retries, errors, resources created",
    positionals: [EXECUTION],
    flags: {
      plan: PLAN,
      'state-machine': STATE_MACHINE,
      follow: { type: 'boolean', help: 'if the run is still RUNNING, show its progress until it ends, then the timeline' },
      json: JSON_FLAG,
      ...CONNECTION,
      debug: DEBUG,
      help: HELP,
    },
    examples: [
      'lifeboat history failover-20261125T103000Z-3fa1 --plan shop.plan.json --follow',
      'lifeboat history arn:aws:states:us-west-2:123456789012:execution:lifeboat-shop-drill:drill-20261125T103000Z-3fa1',
      'lifeboat history drill-20261125T103000Z-3fa1 --plan shop.plan.json --json',
    ],
    run: async (args, io) => {
      const { history } = await import('./commands/history.js');
      return history(
        { execution: args.positionals[0], ...connection(args, 'lifeboat history'), ...targets(args, 'lifeboat history'), json: args.flags.json === true, follow: args.flags.follow === true },
        io,
      );
    },
  },
  {
    words: ['list'],
    summary: "list recent runs of the plan's backup, failover and drill machines (without --plan: of every plan)",
    positionals: [],
    flags: {
      plan: PLAN,
      'state-machine': STATE_MACHINE,
      status: { type: 'string', value: 'STATUS', help: 'only RUNNING, SUCCEEDED, FAILED, TIMED_OUT or ABORTED runs' },
      limit: { type: 'string', value: 'N', help: 'at most N runs per state machine (default 20)' },
      json: JSON_FLAG,
      ...CONNECTION,
      debug: DEBUG,
      help: HELP,
    },
    examples: [
      'lifeboat list --plan shop.plan.json',
      'lifeboat list --plan shop.plan.json --status FAILED --json',
      'lifeboat list --local   # every plan run on the sandbox',
      'lifeboat list --region us-west-2 --status RUNNING',
    ],
    run: async (args, io) => {
      const { list } = await import('./commands/list.js');
      return list(
        {
          ...connection(args, 'lifeboat list'),
          ...targets(args, 'lifeboat list'),
          limit: positiveInteger('lifeboat list', 'limit', args.flags.limit, 20),
          ...(typeof args.flags.status === 'string' ? { status: args.flags.status } : {}),
          json: args.flags.json === true,
        },
        io,
      );
    },
  },
  {
    words: ['preflight'],
    summary: "check a plan against its recovery region before the day, changing nothing; exit 4 on a blocking finding",
    positionals: [],
    flags: {
      plan: { ...PLAN, help: 'the plan file (required): checked against its recovery region' },
      drill: { type: 'boolean', help: "check what a drill launches (the plan's isolated subnets and groups) instead of a failover" },
      json: JSON_FLAG,
      ...CONNECTION,
      debug: DEBUG,
      help: HELP,
    },
    examples: ['lifeboat preflight --plan shop.plan.json', 'lifeboat preflight --plan examples/three-tier.plan.json --drill --local --json'],
    run: async (args, io) => {
      const { preflight } = await import('./commands/preflight.js');
      if (typeof args.flags.plan !== 'string') {
        throw new UsageError('lifeboat preflight: --plan FILE is required', { hint: 'e.g. lifeboat preflight --plan shop.plan.json --drill' });
      }
      return preflight({ ...connection(args, 'lifeboat preflight'), plan: args.flags.plan, isDrill: args.flags.drill === true, json: args.flags.json === true }, io);
    },
  },
  {
    words: ['collect'],
    summary: 'remove what finished runs left behind (drill instances, unverified AMIs and copies, orphan snapshots) in both regions',
    positionals: [],
    flags: {
      plan: { ...PLAN, help: 'the plan file (required): its collectors run in its primary and recovery regions' },
      'dry-run': { type: 'boolean', help: 'list what would be removed; remove nothing' },
      'grace-minutes': { type: 'string', value: 'N', help: "collect a failed backup's images only N minutes after it closed (default 1440: it may still be redriven)" },
      json: JSON_FLAG,
      ...CONNECTION,
      debug: DEBUG,
      help: HELP,
    },
    examples: ['lifeboat collect --plan shop.plan.json --dry-run', 'lifeboat collect --plan examples/three-tier.plan.json --local --grace-minutes 0'],
    run: async (args, io) => {
      const { collect } = await import('./commands/collect.js');
      if (typeof args.flags.plan !== 'string') {
        throw new UsageError('lifeboat collect: --plan FILE is required', { hint: 'e.g. lifeboat collect --plan shop.plan.json --dry-run' });
      }
      const grace = args.flags['grace-minutes'];
      if (grace !== undefined && !/^\d+$/.test(String(grace))) {
        throw new UsageError(`lifeboat collect: --grace-minutes expects a whole number of minutes (0 or more), found ${JSON.stringify(String(grace))}`, {
          hint: 'e.g. --grace-minutes 30, or leave it out for the default of 1440',
        });
      }
      return collect(
        {
          ...connection(args, 'lifeboat collect'),
          plan: args.flags.plan,
          isDryRun: args.flags['dry-run'] === true,
          ...(grace === undefined ? {} : { graceMinutes: Number(grace) }),
          json: args.flags.json === true,
        },
        io,
      );
    },
  },
  {
    words: ['report'],
    summary: "write a run's report for an auditor: one HTML file with the timeline, RPO/RTO per workload, recovery set, resources, verdict",
    positionals: [EXECUTION],
    flags: {
      plan: PLAN,
      'state-machine': STATE_MACHINE,
      html: { type: 'string', value: 'FILE', help: 'where to write the HTML report (default: <execution name>.report.html)' },
      json: { type: 'boolean', help: 'print the report as one JSON document on stdout (HTML only with --html)' },
      ...CONNECTION,
      debug: DEBUG,
      help: HELP,
    },
    examples: [
      'lifeboat report drill-20261125T103000Z-3fa1 --plan shop.plan.json',
      'lifeboat report drill-20261125T103000Z-3fa1 --plan examples/three-tier.plan.json --local --html drill.html',
      'lifeboat report arn:aws:states:us-west-2:123456789012:execution:lifeboat-shop-drill:drill-20261125T103000Z-3fa1 --json',
    ],
    run: async (args, io) => {
      const { report } = await import('./commands/report.js');
      return report(
        {
          execution: args.positionals[0],
          ...connection(args, 'lifeboat report'),
          ...targets(args, 'lifeboat report'),
          ...(typeof args.flags.html === 'string' ? { html: args.flags.html } : {}),
          json: args.flags.json === true,
        },
        io,
      );
    },
  },
  {
    words: ['approve'],
    summary: 'approve a run waiting at "Await approval" as the principal of your credentials (STS)',
    positionals: [EXECUTION],
    flags: {
      plan: PLAN,
      'state-machine': STATE_MACHINE,
      comment: { type: 'string', value: 'TEXT', help: 'a note recorded with the approval in the history' },
      json: JSON_FLAG,
      ...CONNECTION,
      debug: DEBUG,
      help: HELP,
    },
    examples: [
      'lifeboat approve arn:aws:states:us-west-2:123456789012:execution:lifeboat-shop-failover:failover-20261125T103000Z-3fa1',
      'lifeboat approve failover-20261125T103000Z-3fa1 --plan shop.plan.json --profile oncall-lead',
    ],
    run: async (args, io) => {
      const { approve } = await import('./commands/approve.js');
      return approve(
        {
          execution: args.positionals[0],
          ...connection(args, 'lifeboat approve'),
          ...targets(args, 'lifeboat approve'),
          ...(typeof args.flags.comment === 'string' ? { text: args.flags.comment } : {}),
          json: args.flags.json === true,
        },
        io,
      );
    },
  },
  {
    words: ['reject'],
    summary: 'reject a run waiting at "Await approval": it ends FAILED with your reason, having launched nothing',
    positionals: [EXECUTION],
    flags: {
      plan: PLAN,
      'state-machine': STATE_MACHINE,
      reason: { type: 'string', value: 'TEXT', help: "why (required): the run's failure cause names you and this reason" },
      json: JSON_FLAG,
      ...CONNECTION,
      debug: DEBUG,
      help: HELP,
    },
    examples: ['lifeboat reject failover-20261125T103000Z-3fa1 --plan shop.plan.json --reason "primary region is back"'],
    run: async (args, io) => {
      const { reject } = await import('./commands/approve.js');
      return reject(
        {
          execution: args.positionals[0],
          ...connection(args, 'lifeboat reject'),
          ...targets(args, 'lifeboat reject'),
          ...(typeof args.flags.reason === 'string' ? { text: args.flags.reason } : {}),
          json: args.flags.json === true,
        },
        io,
      );
    },
  },
  {
    words: ['redrive'],
    summary: 'restart a FAILED, ABORTED or TIMED_OUT run from the step that failed',
    positionals: [EXECUTION],
    flags: { plan: PLAN, 'state-machine': STATE_MACHINE, follow: FOLLOW, json: JSON_FLAG, ...CONNECTION, debug: DEBUG, help: HELP },
    examples: ['lifeboat redrive failover-20261125T103000Z-3fa1 --plan shop.plan.json --follow'],
    run: async (args, io) => {
      const { redrive } = await import('./commands/redrive.js');
      return redrive(
        { execution: args.positionals[0], ...connection(args, 'lifeboat redrive'), ...targets(args, 'lifeboat redrive'), follow: args.flags.follow === true, json: args.flags.json === true },
        io,
      );
    },
  },
  {
    words: ['traffic', 'undo'],
    summary: "put back what a run's traffic switch changed (records, then targets), from the values it recorded",
    positionals: [EXECUTION],
    flags: {
      plan: { ...PLAN, help: 'the plan file (required): its machines, regions and traffic section' },
      'dry-run': { type: 'boolean', help: 'say what would be put back; change nothing' },
      json: JSON_FLAG,
      ...CONNECTION,
      debug: DEBUG,
      help: HELP,
    },
    examples: [
      'lifeboat traffic undo failover-20261125T103000Z-3fa1 --plan shop.plan.json --dry-run',
      'lifeboat traffic undo arn:aws:states:us-west-2:123456789012:execution:lifeboat-shop-failover:failover-20261125T103000Z-3fa1 --plan shop.plan.json',
    ],
    run: async (args, io) => {
      const { trafficUndo } = await import('./commands/traffic-undo.js');
      if (typeof args.flags.plan !== 'string') {
        throw new UsageError('lifeboat traffic undo: --plan FILE is required', { hint: 'e.g. lifeboat traffic undo failover-20261125T103000Z-3fa1 --plan shop.plan.json --dry-run' });
      }
      return trafficUndo(
        { execution: args.positionals[0]!, plan: args.flags.plan, isDryRun: args.flags['dry-run'] === true, json: args.flags.json === true, ...connection(args, 'lifeboat traffic undo') },
        io,
      );
    },
  },
  {
    words: ['sandbox'],
    summary: 'run the local sandbox (Step Functions, EC2, CloudWatch on 127.0.0.1) until Ctrl-C',
    positionals: [],
    flags: {
      port: { type: 'string', value: 'N', help: 'port on 127.0.0.1 (default 0: a free one)' },
      data: { type: 'string', value: 'DIR', help: 'data directory (default .lifeboat/sandbox)' },
      clock: { type: 'string', value: 'virtual|real', help: 'virtual skips every wait (default); real runs in wall time' },
      speed: { type: 'string', value: 'N', help: 'with --clock real: run N times faster than wall time' },
      seed: { type: 'string', value: 'N', help: 'seed of ids, jitter and faults (same seed, same run)' },
      config: { type: 'string', value: 'FILE', help: 'JSON {"regions": […], "ec2": {"faults": …, "latency": …}}: regions served, EC2 faults and latency to start with' },
      region: CONNECTION.region,
      debug: DEBUG,
      help: HELP,
    },
    examples: [
      'lifeboat sandbox',
      'lifeboat sandbox --port 4566 --data /tmp/lifeboat --clock real --speed 60',
      'lifeboat sandbox --config faults.json   # e.g. {"ec2": {"faults": {"throttle": {"*": 0.3}}}}',
    ],
    run: async (args, io) => {
      const f = args.flags;
      const opts: Record<string, unknown> = {};
      for (const key of ['port', 'clock', 'speed', 'seed', 'region', 'config'] as const) if (typeof f[key] === 'string') opts[key] = f[key];
      if (typeof f.data === 'string') Object.assign(opts, { data: f.data, dataDir: f.data });
      return external('sandbox', 'sandbox', opts, io);
    },
  },
  {
    words: ['console'],
    summary: 'the local console (Step Functions views, plans, recovery points, reports) of the sandbox',
    positionals: [],
    flags: {
      data: { type: 'string', value: 'DIR', help: 'data directory of the sandbox (default .lifeboat/sandbox)' },
      port: { type: 'string', value: 'N', help: 'when it starts a sandbox: port on 127.0.0.1 (default 0: a free one)' },
      seed: { type: 'string', value: 'N', help: 'when it starts a sandbox: seed of ids, jitter and faults' },
      open: { type: 'boolean', help: "open it in the desktop's browser" },
      debug: DEBUG,
      help: HELP,
    },
    examples: ['lifeboat console', 'lifeboat console --open --data /tmp/lifeboat'],
    run: async (args, io) => {
      const f = args.flags;
      const opts: Record<string, unknown> = { open: f.open === true };
      for (const key of ['port', 'seed'] as const) if (typeof f[key] === 'string') opts[key] = f[key];
      if (typeof f.data === 'string') Object.assign(opts, { data: f.data, dataDir: f.data });
      return external('console', 'consoleCommand', opts, io);
    },
  },
  {
    words: ['demo'],
    summary: 'the local drill: sandbox, example instances, a backup then a drill, and a report',
    positionals: [],
    flags: {
      data: { type: 'string', value: 'DIR', help: 'data directory (default .lifeboat/sandbox)' },
      seed: { type: 'string', value: 'N', help: 'seed of ids, jitter and faults' },
      plan: { type: 'string', value: 'FILE', help: 'the plan to run (default: the example plan)' },
      json: JSON_FLAG,
      debug: DEBUG,
      help: HELP,
    },
    examples: ['lifeboat demo', 'lifeboat demo --plan examples/three-tier.plan.json --seed 7'],
    run: async (args, io) => {
      const f = args.flags;
      const opts: Record<string, unknown> = { json: f.json === true };
      if (typeof f.seed === 'string') opts.seed = f.seed;
      if (typeof f.plan === 'string') opts.plan = f.plan;
      if (typeof f.data === 'string') Object.assign(opts, { data: f.data, dataDir: f.data });
      return external('demo', 'demo', opts, io);
    },
  },
];

function commandName(spec: CommandSpec): string {
  return `lifeboat ${spec.words.join(' ')}`;
}

function flagLabel(name: string, spec: FlagSpec): string {
  return spec.type === 'boolean' ? `--${name}` : `--${name} ${spec.value ?? 'VALUE'}`;
}

/** The help of one command. */
function commandHelp(spec: CommandSpec, io: Io): string {
  const s = io.style;
  const usage = [commandName(spec), ...spec.positionals.map((p) => p.name), '[flags]'].join(' ');
  const flags = Object.entries(spec.flags);
  const width = Math.max(...flags.map(([name, f]) => flagLabel(name, f).length), ...spec.positionals.map((p) => p.name.length));
  return [
    `${s.bold('usage:')} ${usage}`,
    '',
    spec.summary,
    ...(spec.positionals.length > 0 ? ['', s.bold('arguments:'), ...spec.positionals.map((p) => `  ${p.name.padEnd(width)}  ${p.help}`)] : []),
    '',
    s.bold('flags:'),
    ...flags.map(([name, f]) => `  ${flagLabel(name, f).padEnd(width)}  ${f.help}${f.isMultiple ? ' (repeatable)' : ''}`),
    '',
    s.bold('examples:'),
    ...spec.examples.map((e) => `  ${e}`),
  ].join('\n');
}

/** The general help: every command with its one line. */
function generalHelp(io: Io): string {
  const s = io.style;
  const width = Math.max(...COMMANDS.map((c) => c.words.join(' ').length));
  return [
    `${s.bold('lifeboat')}: disaster recovery for EC2; every backup, failover and drill is one Step Functions execution`,
    '',
    `${s.bold('usage:')} lifeboat <command> [arguments] [flags]`,
    '',
    s.bold('commands:'),
    ...COMMANDS.map((c) => `  ${c.words.join(' ').padEnd(width)}  ${c.summary}`),
    '',
    "Every AWS command takes --region, --profile (the AWS SDK's configuration applies: environment,",
    'AWS_ENDPOINT_URL, shared config) and --local (the sandbox). Exit codes: 0 ok, 1 the operation failed,',
    '2 bad usage or input, 3 a failover or drill succeeded but missed its RPO or RTO objective,',
    '4 pre-flight found a blocking finding, 70 internal error.',
    '',
    "Run 'lifeboat <command> --help' for a command's flags and examples; 'lifeboat --version' for the version.",
  ].join('\n');
}

/** Finds the command the words name, or throws a usage error with a suggestion. */
function findCommand(argv: readonly string[]): { spec: CommandSpec; rest: string[] } {
  const matches = COMMANDS.filter((c) => c.words.every((word, i) => argv[i] === word)).sort((a, b) => b.words.length - a.words.length);
  if (matches.length > 0) return { spec: matches[0], rest: argv.slice(matches[0].words.length) };
  const first = argv[0];
  const group = COMMANDS.filter((c) => c.words.length > 1 && c.words[0] === first);
  if (group.length > 0) {
    const sub = argv[1];
    const suggestion = sub === undefined ? undefined : closest(sub, group.map((c) => c.words[1]));
    throw new UsageError(
      sub === undefined || sub.startsWith('-') ? `lifeboat ${first}: missing subcommand` : `lifeboat ${first}: unknown subcommand ${JSON.stringify(sub)}`,
      { hint: `${suggestion ? `did you mean '${first} ${suggestion}'? ` : ''}try ${group.map((c) => `'${commandName(c)}'`).join(', ')}` },
    );
  }
  const suggestion = closest(first, [...new Set(COMMANDS.map((c) => c.words[0]))]);
  throw new UsageError(`lifeboat: unknown command ${JSON.stringify(first)}`, {
    hint: `${suggestion ? `did you mean '${suggestion}'? ` : ''}run 'lifeboat --help' for the commands`,
  });
}

/** The version in package.json. */
async function version(): Promise<string> {
  const { readFile } = await import('node:fs/promises');
  const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as { version?: string };
  return pkg.version ?? 'unknown';
}

function printError(io: Io, error: UsageError | OperationError, isDebug: boolean): void {
  const s = io.errStyle;
  io.error(`${s.red('error:')} ${error.message}`);
  if (error.hint) io.error(`${s.dim('hint:')} ${error.hint}`);
  if (isDebug && error.cause instanceof Error) io.error(s.dim(`caused by: ${error.cause.stack ?? error.cause.message}`));
}

/**
 * Runs `lifeboat` with the arguments after the program name and returns the exit code; the caller
 * (`bin/lifeboat.js`) sets it. The single error boundary of the CLI.
 *
 * @param argv e.g. `['history', 'drill-20261125T103000Z-3fa1', '--plan', 'shop.plan.json']`
 * @param io where output goes (default: the process's streams, clock and randomness)
 */
export async function main(argv: readonly string[], processIo: Io = createProcessIo()): Promise<ExitCode> {
  const isDebug = argv.includes('--debug');
  const io: Io = isDebug ? { ...processIo, isDebug } : processIo;
  try {
    if (argv.length === 0) {
      io.error(generalHelp({ ...io, style: io.errStyle }));
      return ExitCode.Usage;
    }
    if (argv[0] === '--version' || argv[0] === '-v' || argv[0] === 'version') {
      io.result(`lifeboat ${await version()}`);
      return ExitCode.Ok;
    }
    if (argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
      if (argv[0] === 'help' && argv.length > 1) return await main([...argv.slice(1), '--help'], io);
      io.result(generalHelp(io));
      return ExitCode.Ok;
    }
    const { spec, rest } = findCommand(argv);
    const args = parseArgs(commandName(spec), rest, spec.flags, spec.positionals);
    if (args.flags.help === true) {
      io.result(commandHelp(spec, io));
      return ExitCode.Ok;
    }
    return await spec.run(args, io);
  } catch (error) {
    if (error instanceof UsageError) {
      printError(io, error, isDebug);
      return ExitCode.Usage;
    }
    if (error instanceof OperationError) {
      printError(io, error, isDebug);
      return ExitCode.Failed;
    }
    const s = io.errStyle;
    const message = error instanceof Error ? error.message : String(error);
    io.error(`${s.red('internal error:')} ${message}`);
    if (isDebug) io.error(error instanceof Error && error.stack ? error.stack : String(error));
    else io.error(`${s.dim('hint:')} this is a bug in lifeboat; rerun with --debug for the stack and report it`);
    return ExitCode.Internal;
  }
}
