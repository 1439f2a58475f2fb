/**
 * What each scheduled {@link Transition} does. Transitions name their resource by region and id
 * (never hold the record), so they work the same on records restored from a snapshot.
 */
import type { Ec2Context } from './context.js';
import type { Transition } from './model.js';
import { setInstanceState } from './occupancy.js';

/** Carries out one transition that came due at `at` (simulated epoch ms). */
export function applyTransition(ctx: Ec2Context, t: Transition, at: number): void {
  const r = ctx.regions.get(t.region);
  if (!r) return;
  switch (t.kind) {
    case 'snapshot-done': {
      const live = r.snapshots.get(t.snapshotId);
      if (!live || live.state !== 'pending') return;
      if (t.failure) {
        live.state = 'error';
        live.stateMessage = t.failure.message;
      } else {
        live.state = 'completed';
        live.completionTime = live.doneAt;
      }
      r.snapshots.note(live.snapshotId);
      return;
    }
    case 'image-ready': {
      const live = r.images.get(t.imageId);
      if (!live || live.state !== 'pending') return;
      delete live.readyAt;
      if (t.failure) {
        live.state = 'failed';
        live.stateReason = { code: t.failure.code, message: t.failure.message };
      } else {
        live.state = 'available';
      }
      r.images.note(live.imageId);
      return;
    }
    case 'instance-running': {
      const inst = r.instances.get(t.instanceId);
      if (!inst || inst.state !== 'pending') return;
      if (inst.launchFailure) {
        // It never runs: pending → terminated, with the reason (an unusable KMS key).
        setInstanceState(r, inst, 'terminated');
        inst.terminatedAt = at;
        inst.stateReason = inst.launchFailure;
        return;
      }
      setInstanceState(r, inst, 'running');
      inst.runningAt = at;
      ctx.queue.at(at + ctx.latency.statusChecksMs(), { kind: 'instance-status', region: r.name, instanceId: inst.instanceId });
      return;
    }
    case 'instance-status': {
      const inst = r.instances.get(t.instanceId);
      if (!inst || inst.state !== 'running' || inst.status !== 'initializing') return;
      const isImpaired = ctx.faults.isImpaired({ region: r.name, instanceId: inst.instanceId, instanceType: inst.instanceType, imageId: inst.imageId, tags: inst.tags });
      inst.status = isImpaired ? 'impaired' : 'ok';
      inst.statusAt = at;
      return;
    }
    case 'instance-stopped': {
      const inst = r.instances.get(t.instanceId);
      if (!inst || inst.state !== 'stopping') return;
      setInstanceState(r, inst, 'stopped');
      return;
    }
    case 'instance-terminated': {
      const inst = r.instances.get(t.instanceId);
      if (!inst || inst.state !== 'shutting-down') return;
      setInstanceState(r, inst, 'terminated');
      inst.terminatedAt = at;
      return;
    }
  }
}
