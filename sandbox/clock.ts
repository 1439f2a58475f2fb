/**
 * The sandbox's clocks. Every part of the sandbox (the Step Functions engine, the EC2 latency
 * model, CloudWatch) reads time and sets timers through one `Clock`, never through `Date.now()`
 * or `setTimeout` directly, so that a virtual clock can skip the waits.
 *
 * - `VirtualClock`: time starts at a fixed instant and advances with wall time; whenever nothing
 *   is running (no tracked work in flight) and a timer is pending, it jumps straight to the
 *   earliest timer. A 40-minute workflow therefore completes in well under a second, and every
 *   timestamp the sandbox reports is simulated time.
 * - `RealClock`: wall time, optionally sped up by a factor (timers fire `speed` times sooner).
 */
export interface Clock {
  /** Current time, epoch milliseconds. */
  now(): number;
  /**
   * Calls `fn` once the clock reaches `atMs`. A `passive` timer (a schedule, an alarm's next
   * evaluation) fires when time reaches it but never makes a virtual clock jump: otherwise a
   * recurring schedule would race an idle sandbox through the years. Time reaches it by wall
   * time, by a jump to another timer beyond it, or by the admin `clock` action.
   */
  setTimer(atMs: number, fn: () => void, options?: TimerOptions): TimerHandle;
  /** Cancels a timer; a no-op when it already fired. */
  clearTimer(handle: TimerHandle): void;
  /**
   * Marks work in flight (a Lambda invocation, an HTTP request being served): a virtual clock
   * does not jump while any is outstanding. Returns the same promise.
   */
  track<T>(work: Promise<T>): Promise<T>;
  /**
   * Asks a virtual clock not to jump to (or past) `atMs` for the next `wallMs` of wall time: timers
   * before `atMs` still fire at once when idle, but the clock reaches `atMs` only by running at
   * wall speed or once the hold expires. Lets a client in another process see a state that ends
   * at `atMs` before it ends. Release the hold early with the handle. A real clock ignores it.
   */
  holdBefore?(atMs: number, wallMs: number): ClockHold;
  /** Stops every timer; the clock fires nothing afterwards. */
  dispose(): void;
}

/** A hold placed by {@link Clock.holdBefore}. */
export interface ClockHold {
  /** Ends the hold now (a no-op when it already ended). */
  release(): void;
}

/** Options of {@link Clock.setTimer}. */
export interface TimerOptions {
  /**
   * When true, a virtual clock never jumps to this timer; it fires once time reaches it.
   * @default false
   */
  readonly passive?: boolean;
}

/** An opaque timer handle. */
export interface TimerHandle {
  readonly id: number;
}

interface Timer {
  readonly id: number;
  readonly at: number;
  readonly seq: number;
  readonly fn: () => void;
  readonly passive: boolean;
}

/** Options of {@link VirtualClock}. */
export interface VirtualClockOptions {
  /**
   * The simulated instant the clock starts at, epoch ms.
   * @default Date.now()
   */
  readonly startMs?: number;
}

/**
 * Simulated time that skips ahead to the next timer whenever the sandbox is idle.
 *
 * Between jumps, simulated time advances at wall-clock speed, so an external client polling the
 * sandbox still sees time pass.
 */
export class VirtualClock implements Clock {
  private offsetMs: number;
  private readonly timers = new Map<number, Timer>();
  private nextId = 1;
  private seq = 0;
  private busy = 0;
  private scheduled = false;
  private wallTimer: NodeJS.Timeout | undefined;
  /** The wall time (Date.now()) at which {@link wallTimer} fires. */
  private wallTimerAt = Infinity;
  private disposed = false;
  /** Simulated instants the clock must not jump to, each until a wall-clock time. */
  private holds: { readonly at: number; untilWall: number }[] = [];
  private holdsOverriddenThrough = -Infinity;

  constructor(options: VirtualClockOptions = {}) {
    const start = options.startMs ?? Date.now();
    this.offsetMs = start - Date.now();
  }

  now(): number {
    return Date.now() + this.offsetMs;
  }

  setTimer(atMs: number, fn: () => void, options: TimerOptions = {}): TimerHandle {
    const id = this.nextId++;
    this.timers.set(id, { id, at: atMs, seq: this.seq++, fn, passive: options.passive === true });
    this.schedule();
    return { id };
  }

  clearTimer(handle: TimerHandle): void {
    this.timers.delete(handle.id);
  }

  async track<T>(work: Promise<T>): Promise<T> {
    this.busy++;
    try {
      return await work;
    } finally {
      this.busy--;
      this.schedule();
    }
  }

  holdBefore(atMs: number, wallMs: number): ClockHold {
    const hold = { at: atMs, untilWall: Date.now() + wallMs };
    if (wallMs > 0 && !this.disposed) this.holds.push(hold);
    return {
      release: () => {
        hold.untilWall = 0;
        this.schedule();
      },
    };
  }

  /**
   * Ignores every hold on instants up to `throughMs`, including holds placed later (an explicit
   * move of the clock to `throughMs` overrides them).
   */
  overrideHolds(throughMs: number): void {
    this.holdsOverriddenThrough = Math.max(this.holdsOverriddenThrough, throughMs);
    this.schedule();
  }

  /** Number of timers not yet fired. */
  get pendingTimers(): number {
    return this.timers.size;
  }

  dispose(): void {
    this.disposed = true;
    this.timers.clear();
    if (this.wallTimer) clearTimeout(this.wallTimer);
  }

  /** Defers the idle check by a macrotask so that promise chains already under way settle first. */
  private schedule(): void {
    if (this.scheduled || this.disposed) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.tick();
    });
  }

  private tick(): void {
    if (this.disposed) return;
    const due = this.earliest();
    if (!due) return;
    if (due.at <= this.now()) {
      this.fire(due);
      return;
    }
    const heldUntil = this.heldUntilWall(due.at);
    if (this.busy === 0 && heldUntil === undefined && this.earliest(true)) {
      // Idle with an active timer ahead and no hold before it: jump, stopping at each passive
      // timer on the way so it fires at its own time (a schedule's run starts when it was due).
      this.offsetMs += due.at - this.now();
      this.fire(due);
      return;
    }
    // Busy, held, or only passive timers: check again when the tracked work settles (track()
    // reschedules), when a hold expires, or when wall time catches up with the timer.
    const wait = Math.min(due.at - this.now(), 1000, heldUntil === undefined ? Infinity : Math.max(1, heldUntil - Date.now()));
    const at = Date.now() + wait;
    // A check already due by then serves (firing early only checks again): while work is in
    // flight this runs after every settled piece, and re-arming a timer each time cost more
    // than the checks themselves.
    if (this.wallTimer && this.wallTimerAt <= at) return;
    if (this.wallTimer) clearTimeout(this.wallTimer);
    this.wallTimerAt = at;
    this.wallTimer = setTimeout(() => {
      this.wallTimer = undefined;
      this.wallTimerAt = Infinity;
      this.schedule();
    }, wait);
    this.wallTimer.unref();
  }

  /** The wall time until which a hold forbids jumping to `atMs`, if one does (expired holds are dropped). */
  private heldUntilWall(atMs: number): number | undefined {
    const wall = Date.now();
    this.holds = this.holds.filter((h) => h.untilWall > wall);
    let until: number | undefined;
    for (const h of this.holds) {
      if (h.at <= atMs && h.at > this.holdsOverriddenThrough && (until === undefined || h.untilWall > until)) until = h.untilWall;
    }
    return until;
  }

  private fire(timer: Timer): void {
    this.timers.delete(timer.id);
    try {
      timer.fn();
    } finally {
      this.schedule();
    }
  }

  /** The earliest timer (with `activeOnly`, the earliest a jump may go to). */
  private earliest(activeOnly = false): Timer | undefined {
    let best: Timer | undefined;
    for (const t of this.timers.values()) {
      if (activeOnly && t.passive) continue;
      if (!best || t.at < best.at || (t.at === best.at && t.seq < best.seq)) best = t;
    }
    return best;
  }
}

/** Options of {@link RealClock}. */
export interface RealClockOptions {
  /**
   * How many times faster than wall time the clock runs.
   * @default 1
   */
  readonly speed?: number;
}

/** The longest delay `setTimeout` honours. */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/** Wall-clock time, optionally sped up. */
export class RealClock implements Clock {
  private readonly speed: number;
  private readonly startWall = Date.now();
  private readonly handles = new Map<number, NodeJS.Timeout>();
  private nextId = 1;

  constructor(options: RealClockOptions = {}) {
    this.speed = options.speed ?? 1;
    if (!(this.speed > 0)) throw new RangeError(`clock speed: expected a number above 0, found ${JSON.stringify(options.speed)}`);
  }

  now(): number {
    return this.startWall + (Date.now() - this.startWall) * this.speed;
  }

  setTimer(atMs: number, fn: () => void, _options?: TimerOptions): TimerHandle {
    const id = this.nextId++;
    const arm = (): void => {
      // setTimeout fires at once beyond 2^31-1 ms: a far timer is re-armed until its time comes.
      const delay = Math.min(MAX_TIMEOUT_MS, Math.max(0, (atMs - this.now()) / this.speed));
      this.handles.set(id, setTimeout(() => {
        if (this.now() < atMs) return arm();
        this.handles.delete(id);
        fn();
      }, delay));
    };
    arm();
    return { id };
  }

  clearTimer(handle: TimerHandle): void {
    const h = this.handles.get(handle.id);
    if (h) clearTimeout(h);
    this.handles.delete(handle.id);
  }

  track<T>(work: Promise<T>): Promise<T> {
    return work;
  }

  dispose(): void {
    for (const h of this.handles.values()) clearTimeout(h);
    this.handles.clear();
  }
}
