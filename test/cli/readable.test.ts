/**
 * Issue 11, "a command line fit for an incident": causes readable, progress in order with loop
 * passes labelled as polls, a redriven step's visits shown apart.
 */
import { describe, expect, test } from 'vitest';
import { createBufferIo } from '../../cli/io.js';
import { errorAndCause, readableCause } from '../../cli/render/cause.js';
import { ProgressPrinter } from '../../cli/render/progress.js';
import { renderTimeline } from '../../cli/render/timeline.js';
import { makeStyle } from '../../cli/io.js';
import { toTimeline } from '../../cli/timeline.js';
import { HistoryBuilder } from './history-builder.js';

const TRACE = [
  "Lifeboat.NotFound: resolve recovery points of plan 'wiki': critical workload 'wiki': no verified recovery point in us-west-2",
  '    at Object.resolveRecoveryPoints (/home/ops/lifeboat/tasks/resolve-recovery-points/resolve-recovery-points.ts:47:28)',
  '    at async handler (file:///home/ops/lifeboat/tasks/_shared/define-task.js:12:3)',
  '    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)',
];
const LAMBDA_ERROR = JSON.stringify({
  errorType: 'Lifeboat.NotFound',
  errorMessage: "resolve recovery points of plan 'wiki': critical workload 'wiki': no verified recovery point in us-west-2",
  trace: TRACE,
});
/** What record-failure makes of it: the step, the error, and the Lambda JSON quoted. */
const RECORDED = `step "Resolve recovery points" failed with Lifeboat.NotFound: ${LAMBDA_ERROR}`;

describe('cli: readable causes (error name and message; stack and paths only with --debug)', () => {
  test('a Lambda error object becomes "ErrorType: message" with no trace and no local path', () => {
    const text = readableCause(LAMBDA_ERROR);
    expect(text).toBe("Lifeboat.NotFound: resolve recovery points of plan 'wiki': critical workload 'wiki': no verified recovery point in us-west-2");
  });

  test('quoted inside a longer message, the error is named once', () => {
    expect(readableCause(RECORDED)).toBe(
      "step \"Resolve recovery points\" failed with Lifeboat.NotFound: resolve recovery points of plan 'wiki': critical workload 'wiki': no verified recovery point in us-west-2",
    );
  });

  test('a cut-off Lambda error (a cause truncated by a size limit) still gives its message', () => {
    const cut = RECORDED.slice(0, RECORDED.indexOf('"trace"') + 40);
    const text = readableCause(cut);
    expect(text).toContain('failed with Lifeboat.NotFound: resolve recovery points');
    expect(text).not.toContain('trace');
    expect(text).not.toContain('/home/ops');
  });

  test('stack frames and paths left in plain text are dropped; ordinary words with "at" are kept', () => {
    expect(readableCause(`Error: boom\n${TRACE.slice(1).join('\n')}`)).toBe('Error: boom');
    expect(readableCause('waited at most 5 minutes at us-west-2')).toBe('waited at most 5 minutes at us-west-2');
  });

  test('with --debug the cause is exactly as recorded', () => {
    expect(readableCause(RECORDED, { isDebug: true })).toBe(RECORDED);
  });

  test('errorAndCause names the error once', () => {
    expect(errorAndCause('Lifeboat.NotFound', LAMBDA_ERROR)).toMatch(/^Lifeboat\.NotFound: resolve recovery points/);
    expect(errorAndCause('States.Timeout', undefined)).toBe('States.Timeout');
  });

  test('--follow and history print the readable cause, and the raw one with --debug', () => {
    const h = new HistoryBuilder().started();
    h.task('Resolve recovery points', { task: 'resolve-recovery-points', attempts: [{ error: 'Lifeboat.NotFound', cause: LAMBDA_ERROR }] });
    h.failed('Lifeboat.StepFailed', RECORDED);
    const io = createBufferIo();
    new ProgressPrinter(io).update(h.events);
    const history = renderTimeline(toTimeline(h.events), { name: 'drill-x' }, makeStyle(false));
    for (const text of [io.stderr(), history]) {
      expect(text).toContain('no verified recovery point in us-west-2');
      expect(text).not.toContain('errorType');
      expect(text).not.toContain('.ts:47:28');
      expect(text).not.toContain('Lifeboat.NotFound: Lifeboat.NotFound');
    }
    const debugIo = { ...createBufferIo(), isDebug: true };
    const debugHistory = renderTimeline(toTimeline(h.events), { name: 'drill-x' }, makeStyle(false), { isDebug: true });
    expect(debugHistory).toContain('resolve-recovery-points.ts:47:28');
    new ProgressPrinter(debugIo).update(h.events);
    expect(debugIo.stderr()).toContain('resolve-recovery-points.ts:47:28');
  });
});

describe('cli: progress in the order of the history', () => {
  /** A Map of two iterations (waves), each polling "Launch instances" then ending in "Wave ready". */
  function waves(): HistoryBuilder {
    const h = new HistoryBuilder().started();
    h.add('MapStateEntered', { name: 'Launch waves', input: '[]' });
    h.add('MapStateStarted', { length: 2 });
    for (const index of [0, 1]) {
      h.add('MapIterationStarted', { name: 'Launch waves', index });
      for (let pass = 0; pass < 3; pass += 1) {
        h.task('Launch instances', { task: 'launch-in-region', attempts: [{ output: pass === 0 ? { instances: [{ instanceId: `i-0aaaaaaaaaaaaaaa${index}` }] } : {} }] });
        h.state('Choice', 'Instances ready?').state('Wait', 'Wait for instances', 30);
      }
      h.state('Succeed', 'Wave ready');
      h.add('MapIterationSucceeded', { name: 'Launch waves', index });
    }
    h.add('MapStateSucceeded', {});
    h.add('MapStateExited', { name: 'Launch waves', output: '[]' });
    return h;
  }

  test('whatever the polling interval, a ✓ never comes before its last loop pass and a Map\'s ✓ comes after its iterations', () => {
    const h = waves().succeeded();
    // every split of the history into polls gives the same lines in the same order
    const printed = new Set<string>();
    for (const step of [1, 7, 1000]) {
      const io = createBufferIo();
      const printer = new ProgressPrinter(io);
      for (let end = step; end < h.events.length + step; end += step) printer.update(h.events.slice(0, Math.min(end, h.events.length)));
      printed.add(io.stderr());
    }
    expect(printed.size).toBe(1);
    const lines = [...printed][0].trim().split('\n');
    expect(lines).toEqual([
      '→ Launch waves',
      '→ Launch instances [Launch waves #0]',
      expect.stringMatching(/^✓ Launch instances \[Launch waves #0\] \S+ polled 3 times created i-0aaaaaaaaaaaaaaa0$/),
      expect.stringMatching(/^✓ Wave ready \[Launch waves #0\]/),
      '→ Launch instances [Launch waves #1]',
      expect.stringMatching(/^✓ Launch instances \[Launch waves #1\] \S+ polled 3 times created i-0aaaaaaaaaaaaaaa1$/),
      expect.stringMatching(/^✓ Wave ready \[Launch waves #1\]/),
      expect.stringMatching(/^✓ Launch waves /),
    ]);
  });

  test('history labels loop passes as polls and Map iterations as iterations, never a bare ×N', () => {
    const text = renderTimeline(toTimeline(waves().succeeded().events), { name: 'drill-x' }, makeStyle(false));
    expect(text).toMatch(/Launch instances \(polled 6 times in 2 iterations\)/);
    expect(text).toMatch(/Wave ready \(in 2 iterations\)/);
    expect(text).toMatch(/Wait for instances \(6 passes in 2 iterations\)/);
    expect(text).not.toMatch(/×\d/);
  });
});

describe('cli: a redriven step', () => {
  test('history shows the visit that failed as failed, then the redrive\'s visit as ok', () => {
    const h = new HistoryBuilder().started();
    h.task('Copy images', { task: 'copy', attempts: [{ error: 'Lifeboat.CopyFailed', cause: 'copy of ami-0aaaaaaaaaaaaaaa1 failed' }] });
    h.failed('Lifeboat.CopyFailed', 'copy failed');
    h.wait(600).redriven(1);
    const failure = h.events.findIndex((e) => e.type === 'TaskFailed') + 1;
    const scheduled = h.add('TaskScheduled', { parameters: JSON.stringify({ Payload: { task: 'copy' } }) }, failure);
    h.wait(60);
    h.add('TaskSucceeded', { output: JSON.stringify({ Payload: {} }) }, scheduled);
    h.add('TaskStateExited', { name: 'Copy images', output: '{}' });
    h.succeeded();

    const text = renderTimeline(toTimeline(h.events), { name: 'backup-x' }, makeStyle(false));
    const rows = text.split('\n').filter((l) => l.trimStart().startsWith('Copy images'));
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatch(/^\s+Copy images\s+\S+\s+\S+\s+0\s+failed$/);
    expect(rows[1]).toMatch(/^\s+Copy images \(redrive 1\)\s+\S+\s+1m00s\s+0\s+ok$/);
  });
});
