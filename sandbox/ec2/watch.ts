/**
 * Lets a client in another process see EC2's transient states on a virtual clock.
 *
 * A virtual clock jumps to the next timer as soon as nothing is running, so a resource that a
 * client in another process has just created would be `available` or `running` by its next call:
 * it could never see `pending` or status checks `initializing`. The rule, per resource:
 *
 * - A resource is *watched* for `windowMs` of wall time after a request from another process
 *   names it (creates it, describes it, acts on it).
 * - While watched, its next transition is held (the clock does not jump to or past it) until a
 *   request from another process has *observed* the state the transition ends, with an operation
 *   that shows that state: `DescribeImages` for an image becoming available, `DescribeSnapshots`
 *   for a snapshot completing, `DescribeInstances`/`DescribeInstanceStatus` for an instance
 *   starting or terminating, `DescribeInstanceStatus` for status checks finishing. The call that
 *   created the resource does not count.
 * - Once observed (or once the window ends) the hold is released and the clock may jump again.
 *
 * So a poller sees each transient state once and then the next state at its next poll, however
 * often it polls; requests made by this process (in-process Lambda handlers, tests, `--local`
 * commands) never watch anything, and runs driven by the sandbox's own executions keep their speed.
 * A held transition still happens when simulated time reaches it at wall speed.
 */
import type { Clock, ClockHold } from '../clock.js';
import { resourceOf, type Transition, type TransitionQueue } from './model.js';

/** The operations that show the state each kind of transition ends. */
const OBSERVED_BY: Readonly<Record<Transition['kind'], readonly string[]>> = {
  'image-ready': ['DescribeImages'],
  'snapshot-done': ['DescribeSnapshots'],
  'instance-running': ['DescribeInstances', 'DescribeInstanceStatus'],
  'instance-status': ['DescribeInstanceStatus'],
  'instance-terminated': ['DescribeInstances', 'DescribeInstanceStatus'],
  'instance-stopped': ['DescribeInstances', 'DescribeInstanceStatus'],
};

/** Ids EC2 answers name: images, instances, snapshots. */
const RESOURCE_ID = /\b(?:ami|i|snap)-[0-9a-f]{8,17}\b/g;

interface Watched {
  /** Wall time of the last request from another process that named it. */
  touchedWall: number;
  /** Operations from other processes that showed it since its last transition. */
  readonly observedBy: Set<string>;
  hold?: ClockHold;
}

/** Holds EC2 transitions for clients in other processes (see the module comment). */
export class OtherProcessWatch {
  private readonly watched = new Map<string, Watched>();

  constructor(
    private readonly clock: Clock,
    private readonly queue: TransitionQueue,
    /** How long (wall ms) a resource stays watched after a request from another process names it; 0 turns watching off. */
    private readonly windowMs: number,
  ) {}

  /** After answering `operation` to another process with `body`: the resources it names are watched, and observed if it shows them. */
  answered(operation: string, body: string): void {
    if (this.windowMs <= 0 || !this.clock.holdBefore) return;
    const wall = Date.now();
    for (const id of new Set(body.match(RESOURCE_ID) ?? [])) {
      let w = this.watched.get(id);
      if (!w) {
        w = { touchedWall: wall, observedBy: new Set() };
        this.watched.set(id, w);
      }
      w.touchedWall = wall;
      if (operation.startsWith('Describe')) w.observedBy.add(operation);
    }
    this.refresh();
  }

  /** A transition applied: the resource's new state has not been observed yet. */
  transitioned(t: Transition): void {
    this.watched.get(resourceOf(t))?.observedBy.clear();
  }

  /** Places, moves or releases each watched resource's hold (after requests and transitions). */
  refresh(): void {
    if (this.watched.size === 0) return;
    const wall = Date.now();
    for (const [id, w] of this.watched) {
      w.hold?.release();
      w.hold = undefined;
      const until = w.touchedWall + this.windowMs;
      if (until <= wall) {
        this.watched.delete(id);
        continue;
      }
      const next = this.queue.nextFor(id);
      if (!next || OBSERVED_BY[next.transition.kind].some((op) => w.observedBy.has(op))) continue;
      w.hold = this.clock.holdBefore!(next.at, until - wall);
    }
  }

  /** Forgets every watched resource and releases their holds (reset, dispose). */
  clear(): void {
    for (const w of this.watched.values()) w.hold?.release();
    this.watched.clear();
  }
}
