/**
 * Names and ARNs of Lifeboat's state machines and executions (docs/contracts.md), and how the CLI
 * finds them: from a plan (by name, in the plan's regions) or from an ARN given on the command line.
 */
import { ListStateMachinesCommand, type SFNClient } from '@aws-sdk/client-sfn';
import type { Plan } from '../schemas/plan.js';
import { call } from './aws.js';

/** The kinds of run, one state machine each (`failback` only for a plan with a `failback` section). */
export type RunKind = 'backup' | 'failover' | 'drill' | 'failback';

/** The run kinds every plan has, in the order `lifeboat list` shows their machines. */
export const RUN_KINDS: readonly RunKind[] = ['backup', 'failover', 'drill'];

/** Every run kind, failback included (to recognise names and find executions). */
export const ALL_RUN_KINDS: readonly RunKind[] = [...RUN_KINDS, 'failback'];

/** The run kinds of a plan: {@link RUN_KINDS}, and `failback` when the plan has a `failback` section. */
export function planRunKinds(plan: Pick<Plan, 'failback'> | undefined): readonly RunKind[] {
  return plan?.failback !== undefined ? ALL_RUN_KINDS : RUN_KINDS;
}

/** A state machine the CLI talks to. */
export interface MachineRef {
  /** Which run it performs (undefined when an ARN names a machine lifeboat did not name). */
  readonly kind?: RunKind;
  /** Its name (`lifeboat-shop-drill`). */
  readonly name: string;
  /** Its region. */
  readonly region?: string;
  /** Its ARN, when known without a look-up. */
  readonly arn?: string;
}

/**
 * The state machine name of a plan's run kind: `lifeboat-<plan>-<kind>`.
 *
 * @example stateMachineName('shop', 'drill') // 'lifeboat-shop-drill'
 */
export function stateMachineName(planName: string, kind: RunKind): string {
  return `lifeboat-${planName}-${kind}`;
}

/** The region a kind's machine lives in: backup in the primary region, failover, drill and failback in the recovery region. */
export function stateMachineRegion(plan: Pick<Plan, 'primaryRegion' | 'recoveryRegion'>, kind: RunKind): string {
  return kind === 'backup' ? plan.primaryRegion : plan.recoveryRegion;
}

/** The machine of one run kind of a plan. */
export function planMachine(plan: Pick<Plan, 'name' | 'primaryRegion' | 'recoveryRegion'>, kind: RunKind): MachineRef {
  return { kind, name: stateMachineName(plan.name, kind), region: stateMachineRegion(plan, kind) };
}

/**
 * A readable, unique execution name: `<kind>-<YYYYMMDD>T<HHMMSS>Z-<4 hex>`.
 *
 * @example executionName('drill', new Date('2026-11-25T10:30:00Z'), '3fa1') // 'drill-20261125T103000Z-3fa1'
 */
export function executionName(kind: RunKind, now: Date, hex: string): string {
  const stamp = now.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
  return `${kind}-${stamp}-${hex}`;
}

/** The parts of a Step Functions ARN (`arn:aws:states:<region>:<account>:<resource>:<name>[:<execution>]`). */
export interface StatesArn {
  readonly partition: string;
  readonly region: string;
  readonly account: string;
  /** `stateMachine`, `execution`, `express`, … */
  readonly resource: string;
  /** The state machine's name. */
  readonly stateMachineName: string;
  /** The execution's name (execution ARNs only). */
  readonly executionName?: string;
}

/** Parses a Step Functions ARN, or returns undefined when `text` is not one. */
export function parseStatesArn(text: string): StatesArn | undefined {
  const match = /^arn:(aws[a-z-]*):states:([a-z0-9-]+):(\d{12}):(stateMachine|execution|express):([^:]+)(?::([^:]+))?(?::[^:]+)?$/.exec(text);
  if (!match) return undefined;
  return {
    partition: match[1],
    region: match[2],
    account: match[3],
    resource: match[4],
    stateMachineName: match[5],
    ...(match[6] === undefined ? {} : { executionName: match[6] }),
  };
}

/** The execution ARN for a state machine ARN and an execution name. */
export function executionArnOf(stateMachineArn: string, name: string): string {
  return `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
}

/** The run kind a machine or execution name suggests (`lifeboat-shop-drill`, `drill-2026…`). */
export function kindFromName(name: string): RunKind | undefined {
  for (const kind of ALL_RUN_KINDS) {
    if (name.startsWith(`${kind}-`) || name.endsWith(`-${kind}`)) return kind;
  }
  return undefined;
}

/**
 * Finds a state machine's ARN by its name, with ListStateMachines (all pages): no account id needed,
 * works the same on AWS and on the sandbox.
 *
 * @returns the ARN, or undefined when no machine has that name in the client's region
 */
export async function findStateMachineArn(sfn: SFNClient, name: string, site: { command: string; region?: string }): Promise<string | undefined> {
  let nextToken: string | undefined;
  do {
    const page = await call({ ...site, operation: 'ListStateMachines' }, () =>
      sfn.send(new ListStateMachinesCommand({ maxResults: 1000, ...(nextToken === undefined ? {} : { nextToken }) })),
    );
    const found = page.stateMachines?.find((machine) => machine.name === name);
    if (found?.stateMachineArn !== undefined) return found.stateMachineArn;
    nextToken = page.nextToken;
  } while (nextToken !== undefined);
  return undefined;
}
