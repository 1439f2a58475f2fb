import { describe, expect, test } from 'vitest';
import { ec2IdsIn, toTimeline } from '../../cli/timeline.js';
import { HistoryBuilder } from './history-builder.js';

const AMI_SOURCE = 'ami-0aaaaaaaaaaaaaaa1';
const AMI_COPY = 'ami-0bbbbbbbbbbbbbbb2';
const SNAP = 'snap-0ccccccccccccccc3';
const SOURCE_INSTANCE = 'i-0ddddddddddddddd4';
const LAUNCHED = 'i-0eeeeeeeeeeeeeee5';

describe('cli: toTimeline', () => {
  test('lists each state once per visit with start, duration and the task id from the payload', () => {
    const h = new HistoryBuilder().started({}).state('Pass', 'Start', 0);
    h.task('Resolve workloads', { task: 'resolve-workloads', attempts: [{ output: { targetCount: 1 }, seconds: 2 }] });
    h.wait(1).state('Wait', 'Wait for image', 30).succeeded();

    const timeline = toTimeline(h.events);

    expect(timeline.status).toBe('SUCCEEDED');
    expect(timeline.startedAt).toBe('2026-11-25T10:30:00.000Z');
    expect(timeline.durationSeconds).toBe(33);
    expect(timeline.steps.map((s) => [s.name, s.type, s.task, s.status, s.durationSeconds, s.attempts])).toEqual([
      ['Start', 'Pass', undefined, 'succeeded', 0, 0],
      ['Resolve workloads', 'Task', 'resolve-workloads', 'succeeded', 2, 1],
      ['Wait for image', 'Wait', undefined, 'succeeded', 30, 0],
    ]);
    expect(timeline.eventCount).toBe(h.events.length);
  });

  test('counts retries and keeps every error with its cause', () => {
    const h = new HistoryBuilder().started();
    h.task('Copy image', {
      task: 'copy',
      attempts: [
        { error: 'Lifeboat.Throttled', cause: 'Request limit exceeded.' },
        { error: 'Lifeboat.Transient', cause: 'socket hang up' },
        { output: { copies: [], isComplete: true } },
      ],
    });
    h.succeeded();

    const [step] = toTimeline(h.events).steps;

    expect(step.attempts).toBe(3);
    expect(step.retries).toBe(2);
    expect(step.status).toBe('succeeded');
    expect(step.errors.map((e) => [e.error, e.cause])).toEqual([
      ['Lifeboat.Throttled', 'Request limit exceeded.'],
      ['Lifeboat.Transient', 'socket hang up'],
    ]);
  });

  test('marks a step whose last attempt failed and was caught as caught', () => {
    const h = new HistoryBuilder().started();
    h.task('Verify copy', { task: 'verify', attempts: [{ error: 'Lifeboat.VerificationFailed', cause: 'snapshot not encrypted' }], isCaught: true });
    h.task('Record failure', { task: 'record-failure', attempts: [{ error: 'Lifeboat.StepFailed', cause: 'step "Verify copy" failed' }] });
    h.failed('Lifeboat.StepFailed', 'step "Verify copy" failed with Lifeboat.VerificationFailed: snapshot not encrypted');

    const timeline = toTimeline(h.events);

    expect(timeline.status).toBe('FAILED');
    expect(timeline.error).toBe('Lifeboat.StepFailed');
    expect(timeline.cause).toContain('snapshot not encrypted');
    expect(timeline.steps.map((s) => [s.name, s.status])).toEqual([
      ['Verify copy', 'caught'],
      ['Record failure', 'failed'],
    ]);
    expect(timeline.stoppedAt).toBe(h.events.at(-1)?.timestamp?.toISOString());
  });

  test('reports resources first seen in a task output as created, not ids from its input or from look-ups', () => {
    const target = { workload: 'web', instanceId: SOURCE_INSTANCE };
    const h = new HistoryBuilder().started({});
    h.task('Resolve workloads', { task: 'resolve-workloads', attempts: [{ output: { batches: [[target]] } }] });
    h.task('Create image', { task: 'image', input: { targets: [target] }, attempts: [{ output: { images: [{ ...target, imageId: AMI_SOURCE, state: 'pending' }] } }] });
    h.task('Copy image', { task: 'copy', input: { images: [{ imageId: AMI_SOURCE }] }, attempts: [{ output: { copies: [{ ...target, sourceImageId: AMI_SOURCE, imageId: AMI_COPY }] } }] });
    h.task('Verify copy', { task: 'verify', input: { copies: [{ imageId: AMI_COPY }] }, attempts: [{ output: { verified: [{ ...target, imageId: AMI_COPY, snapshotIds: [SNAP] }] } }] });
    h.task('Launch', { task: 'launch-in-region', input: { targets: [{ imageId: AMI_COPY }] }, attempts: [{ output: { instances: [{ instanceId: LAUNCHED, imageId: AMI_COPY, sourceInstanceId: SOURCE_INSTANCE }] } }] });
    h.task('Tear down', { task: 'teardown', attempts: [{ output: { terminated: [LAUNCHED] } }] });
    h.succeeded();

    const timeline = toTimeline(h.events);

    expect(timeline.resources.created).toEqual([
      { id: AMI_SOURCE, kind: 'image', step: 'Create image' },
      { id: AMI_COPY, kind: 'image', step: 'Copy image' },
      { id: SNAP, kind: 'snapshot', step: 'Verify copy' },
      { id: LAUNCHED, kind: 'instance', step: 'Launch' },
    ]);
    expect(timeline.resources.removed).toEqual([{ id: LAUNCHED, kind: 'instance', step: 'Tear down' }]);
    expect(timeline.steps.find((s) => s.name === 'Resolve workloads')?.created).toEqual([]);
  });

  test('attributes events by previousEventId when Map iterations interleave', () => {
    // GIVEN a Map with two iterations whose task events interleave
    const h = new HistoryBuilder().started();
    const mapEntered = h.add('MapStateEntered', { name: 'Per workload', input: '[]' });
    h.add('MapStateStarted', { length: 2 });
    const it0 = h.add('MapIterationStarted', { name: 'Per workload', index: 0 });
    const it1 = h.add('MapIterationStarted', { name: 'Per workload', index: 1 }, it0);
    const e0 = h.add('TaskStateEntered', { name: 'Create image', input: '{}' }, it0);
    const e1 = h.add('TaskStateEntered', { name: 'Create image', input: '{}' }, it1);
    const s0 = h.add('TaskScheduled', { parameters: JSON.stringify({ Payload: { task: 'image' } }) }, e0);
    const s1 = h.add('TaskScheduled', { parameters: JSON.stringify({ Payload: { task: 'image' } }) }, e1);
    h.wait(5);
    const f1 = h.add('TaskFailed', { error: 'Lifeboat.Throttled', cause: 'slow down' }, s1);
    const ok0 = h.add('TaskSucceeded', { output: JSON.stringify({ Payload: { images: [{ imageId: AMI_SOURCE }] } }) }, s0);
    const x0 = h.add('TaskStateExited', { name: 'Create image', output: '{}' }, ok0);
    const r1 = h.add('TaskScheduled', { parameters: JSON.stringify({ Payload: { task: 'image' } }) }, f1);
    h.wait(5);
    const ok1 = h.add('TaskSucceeded', { output: JSON.stringify({ Payload: { images: [{ imageId: AMI_COPY }] } }) }, r1);
    const x1 = h.add('TaskStateExited', { name: 'Create image', output: '{}' }, ok1);
    h.add('MapIterationSucceeded', { name: 'Per workload', index: 0 }, x0);
    const last = h.add('MapIterationSucceeded', { name: 'Per workload', index: 1 }, x1);
    h.add('MapStateSucceeded', undefined, last);
    h.add('MapStateExited', { name: 'Per workload', output: '[]' }, last);
    h.succeeded();

    // WHEN
    const timeline = toTimeline(h.events);

    // THEN
    expect(mapEntered).toBe(2);
    const images = timeline.steps.filter((s) => s.name === 'Create image');
    expect(images.map((s) => [s.iteration, s.attempts, s.retries, s.durationSeconds, s.created])).toEqual([
      [{ map: 'Per workload', index: 0 }, 1, 0, 5, [AMI_SOURCE]],
      [{ map: 'Per workload', index: 1 }, 2, 1, 10, [AMI_COPY]],
    ]);
    const map = timeline.steps.find((s) => s.name === 'Per workload');
    expect([map?.type, map?.status, map?.iteration]).toEqual(['Map', 'succeeded', undefined]);
  });

  test('keeps the visit that failed the run and adds the redrive\'s visit of the same state', () => {
    const h = new HistoryBuilder().started();
    h.task('Create image', { task: 'image', attempts: [{ error: 'Lifeboat.ImageFailed', cause: 'image ami-0aaaaaaaaaaaaaaa1 failed' }] });
    h.failed('Lifeboat.ImageFailed', 'image failed');
    h.wait(600).redriven(1);
    const failure = h.events.findIndex((e) => e.type === 'TaskFailed') + 1;
    const scheduled = h.add('TaskScheduled', { parameters: JSON.stringify({ Payload: { task: 'image' } }) }, failure);
    h.wait(60);
    h.add('TaskSucceeded', { output: JSON.stringify({ Payload: { images: [{ imageId: AMI_COPY }] } }) }, scheduled);
    h.add('TaskStateExited', { name: 'Create image', output: '{}' });
    h.succeeded();

    const timeline = toTimeline(h.events);

    expect(timeline.status).toBe('SUCCEEDED');
    expect(timeline.error).toBeUndefined();
    expect(timeline.redriveCount).toBe(1);
    expect(timeline.redrives).toEqual([{ at: '2026-11-25T10:40:01.000Z', redriveCount: 1, previousStatus: 'FAILED', previousError: 'Lifeboat.ImageFailed', eventId: 7 }]);
    expect(timeline.steps).toHaveLength(2);
    expect(timeline.steps[0]).toMatchObject({ name: 'Create image', status: 'failed', attempts: 1, created: [], errors: [{ error: 'Lifeboat.ImageFailed' }] });
    expect(timeline.steps[0].redrive).toBeUndefined();
    expect(timeline.steps[1]).toMatchObject({ name: 'Create image', status: 'succeeded', attempts: 1, retries: 0, redrive: 1, created: [AMI_COPY], errors: [] });
  });

  test('leaves a running execution RUNNING with its open step running until the last event', () => {
    const h = new HistoryBuilder().started();
    h.add('TaskStateEntered', { name: 'Launch', input: '{}' });
    h.add('TaskScheduled', { parameters: '{}' });
    h.wait(42).add('TaskStarted', {});

    const timeline = toTimeline(h.events);

    expect(timeline.status).toBe('RUNNING');
    expect(timeline.stoppedAt).toBeUndefined();
    expect(timeline.steps[0]).toMatchObject({ name: 'Launch', status: 'running', durationSeconds: 42 });
  });

  test('marks the open step stopped when the execution is aborted', () => {
    const h = new HistoryBuilder().started();
    h.add('WaitStateEntered', { name: 'Wait for copy', input: '{}' });
    h.wait(10).add('ExecutionAborted', { error: 'Operator', cause: 'stopped from the console' });

    const timeline = toTimeline(h.events);

    expect(timeline.status).toBe('ABORTED');
    expect(timeline.steps[0]).toMatchObject({ status: 'stopped', errors: [{ error: 'Operator', cause: 'stopped from the console' }] });
  });

  test('accepts events in any order (sorted by id)', () => {
    const h = new HistoryBuilder().started();
    h.task('Create image', { task: 'image', attempts: [{ output: {} }] }).succeeded();
    expect(toTimeline([...h.events].reverse())).toEqual(toTimeline(h.events));
  });
});

describe('cli: ec2IdsIn', () => {
  test('finds AMI, instance and snapshot ids once each, not inside longer words', () => {
    const text = JSON.stringify({ a: AMI_COPY, b: [SNAP, AMI_COPY], c: `lifeboat-shop-web-${SOURCE_INSTANCE}-20261125T103000Z`, d: 'xami-0123456789abcdef0', e: 'i-123' });
    expect(ec2IdsIn(text)).toEqual([AMI_COPY, SNAP, SOURCE_INSTANCE]);
  });
});
