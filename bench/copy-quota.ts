/**
 * The copy-quota figures of a backup (issue 8, "Within quotas, at full speed"): the bound the
 * copy quotas allow for the EC2 work this very run did, and how many copies were in flight.
 *
 * Everything is read back from the sandbox after the run: each source AMI's snapshots (how long
 * imaging took) and each copy's snapshots (when each snapshot copy started and completed). The
 * durations are the ones the sandbox's latency model drew for this run (its means and jitter), so
 * the bound is that of the work actually done, not of an average.
 *
 * The bound (docs/decisions/0018): no schedule can finish the copies sooner than
 *
 *   image + max( longest copy,
 *                Σ AMI-copy durations ÷ concurrent AMI copies,
 *                Σ snapshot-copy durations ÷ concurrent snapshot copies + register )
 *
 * where `image` is the quickest source AMI (no copy starts before some AMI is available), an AMI
 * copy lasts from CopyImage to its last snapshot plus the registration, and a snapshot copy holds
 * one slot of the snapshot-copy quota from its start to its completion (what EC2 and the sandbox
 * count). Each term is a lower bound on its own: the longest copy must run after some image, and
 * the slots of each quota cannot hold more than their number of copies at once. The run's own
 * steps around the copies (resolve, verify, prune, metrics: seconds of simulated time) are not in
 * the bound, so they count against the ratio.
 */
import type { Ec2RegionView, ImageView, SnapshotView } from '../sandbox/ec2/index.js';

export interface CopyQuotaFigures {
  /** The bound of both quotas, seconds from the run's start. */
  readonly boundSeconds: number;
  /** The bound of the AMI-copy quota alone (what reports before issue 8's fix printed). */
  readonly amiBoundSeconds: number;
  /** The quickest source AMI, seconds. */
  readonly imageSeconds: number;
  readonly copies: number;
  readonly snapshotCopies: number;
  /** Most snapshot copies / AMI copies in progress at one instant. */
  readonly peakSnapshotCopies: number;
  readonly peakAmiCopies: number;
  /**
   * Mean snapshot copies in progress while copies remained to be started (from the first copy's
   * start to the last copy's start), and over the whole copy phase (to the last completion).
   */
  readonly meanSnapshotCopiesWhileQueued: number;
  readonly meanSnapshotCopiesOverall: number;
  readonly meanAmiCopiesWhileQueued: number;
}

/** Reads the figures from the primary (sources) and recovery (copies) regions after a backup. */
export function copyQuotaFigures(
  primary: Ec2RegionView,
  recovery: Ec2RegionView,
  quotas: { readonly concurrentAmiCopies: number; readonly concurrentSnapshotCopies: number },
  registerSeconds: number,
): CopyQuotaFigures {
  const snapshotsOf = (region: Ec2RegionView) => new Map(region.snapshots().map((s) => [s.snapshotId, s]));
  const primarySnaps = snapshotsOf(primary);
  const recoverySnaps = snapshotsOf(recovery);
  const snapsOf = (image: ImageView, all: Map<string, SnapshotView>) =>
    image.blockDeviceMappings.map((m) => all.get(m.snapshotId)).filter((s): s is SnapshotView => s !== undefined);

  const sources = primary.images().filter((i) => i.sourceInstanceId !== undefined);
  const copies = recovery.images().filter((i) => i.sourceImageId !== undefined && i.state === 'available');
  if (sources.length === 0 || copies.length === 0) throw new Error('bench: copy figures need at least one source AMI and one available copy');

  const imageSeconds = Math.min(
    ...sources.map((i) => {
      const snaps = snapsOf(i, primarySnaps);
      return (Math.max(...snaps.map((s) => s.completedAt)) - Math.min(...snaps.map((s) => s.startedAt))) / 1000 + registerSeconds;
    }),
  );
  const copySnaps = copies.map((i) => snapsOf(i, recoverySnaps));
  const snapshotIntervals = copySnaps.flat().map((s) => ({ from: s.startedAt, to: s.completedAt }));
  const amiIntervals = copySnaps.map((snaps) => ({
    from: Math.min(...snaps.map((s) => s.startedAt)),
    to: Math.max(...snaps.map((s) => s.completedAt)) + registerSeconds * 1000,
  }));
  const seconds = (x: { from: number; to: number }) => (x.to - x.from) / 1000;
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  const longestCopy = Math.max(...amiIntervals.map(seconds));
  const amiBoundSeconds = imageSeconds + Math.max(longestCopy, sum(amiIntervals.map(seconds)) / quotas.concurrentAmiCopies);
  const boundSeconds = Math.max(
    amiBoundSeconds,
    imageSeconds + sum(snapshotIntervals.map(seconds)) / quotas.concurrentSnapshotCopies + registerSeconds,
  );

  const firstStart = Math.min(...amiIntervals.map((x) => x.from));
  const lastStart = Math.max(...amiIntervals.map((x) => x.from));
  const lastEnd = Math.max(...snapshotIntervals.map((x) => x.to));
  const snapshotLoad = load(snapshotIntervals);
  const amiLoad = load(amiIntervals);
  return {
    boundSeconds,
    amiBoundSeconds,
    imageSeconds,
    copies: copies.length,
    snapshotCopies: snapshotIntervals.length,
    peakSnapshotCopies: snapshotLoad.peak,
    peakAmiCopies: amiLoad.peak,
    meanSnapshotCopiesWhileQueued: snapshotLoad.mean(firstStart, lastStart),
    meanSnapshotCopiesOverall: snapshotLoad.mean(firstStart, lastEnd),
    meanAmiCopiesWhileQueued: amiLoad.mean(firstStart, lastStart),
  };
}

/** How many intervals overlap: the peak, and the time-weighted mean over a window. */
export function load(intervals: readonly { from: number; to: number }[]): { peak: number; mean: (from: number, to: number) => number } {
  // Ends before starts at the same instant: a slot freed and taken again is one slot.
  const edges = intervals.flatMap((x) => [{ at: x.from, d: 1 }, { at: x.to, d: -1 }]).sort((a, b) => a.at - b.at || a.d - b.d);
  let level = 0;
  let peak = 0;
  const steps: { at: number; level: number }[] = [];
  for (const e of edges) {
    level += e.d;
    peak = Math.max(peak, level);
    steps.push({ at: e.at, level });
  }
  const mean = (from: number, to: number): number => {
    if (to <= from) return steps.length > 0 ? Math.max(...steps.filter((s) => s.at <= from).map((s) => s.level), 0) : 0;
    let area = 0;
    let current = 0;
    let at = from;
    for (const s of steps) {
      if (s.at > to) break;
      if (s.at > at) {
        area += current * (s.at - at);
        at = s.at;
      }
      current = s.level;
    }
    area += current * (to - at);
    return area / (to - from);
  };
  return { peak, mean };
}
