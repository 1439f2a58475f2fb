/**
 * The sandbox console in a real browser: headless Chromium (Debian's `chromium` package,
 * installed by `.ci/run`) opens the console a local Lifeboat serves at `/`, starts the example
 * plan's failover with `{}`, watches the graph reach Succeeded, opens a failed run's step, reads
 * its cause and redrives it. A screenshot is written on failure (test-results/screenshots/).
 *
 * A test that needs Chromium and cannot find it fails, naming the command that installs it.
 */
import { ListExecutionsCommand } from '@aws-sdk/client-sfn';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Browser, type Page, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, onTestFailed, test } from 'vitest';
import type { LocalLifeboat } from '../../cli/local/session.js';
import { TAG_KEYS } from '../../schemas/tags.js';
import { backedUpLifeboat, failure } from '../e2e/helpers.js';

const ROOT = resolve(import.meta.dirname, '../..');
const CHROMIUM = '/usr/bin/chromium';
const INSTALL = 'apt-get update && apt-get install -y chromium';
const SCREENSHOTS = join(ROOT, 'test-results', 'screenshots');

describe('sandbox console in headless Chromium', () => {
  let browser: Browser | undefined;
  let page: Page;
  let env: LocalLifeboat;
  const requested: string[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`this test needs Chromium at ${CHROMIUM}, which is missing: install it with '${INSTALL}' (.ci/run does)`);
    }
    ({ env } = await backedUpLifeboat());
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    page.on('request', (request) => requested.push(request.url()));
    page.on('pageerror', (error) => pageErrors.push(error.message));
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await env?.stop();
  });

  function screenshotOnFailure(name: string): void {
    onTestFailed(async () => {
      mkdirSync(SCREENSHOTS, { recursive: true });
      const path = join(SCREENSHOTS, `${name}.png`);
      await page.screenshot({ path, fullPage: true }).catch(() => undefined);
      console.error(`screenshot: ${path}`);
    });
  }

  test('start the failover with {} from the console and watch its graph reach Succeeded; nothing is loaded from anywhere else', { timeout: 180_000 }, async () => {
    screenshotOnFailure('console-start-failover');
    requested.length = 0;
    // GIVEN the console of a sandbox whose plan was backed up
    await page.goto(`${env.sandbox.endpoint}/`);
    // THEN it lists the plan's state machines by region
    const recovery = page.locator(`section.region[data-region="${env.plan.recoveryRegion}"]`);
    // (the page lists them once its API calls have answered)
    await recovery.locator('a.machine').first().waitFor();
    await expect(recovery.locator('a.machine').allTextContents()).resolves.toEqual(expect.arrayContaining([env.machines.failover.split(':').pop(), env.machines.drill.split(':').pop()]));
    await expect(page.locator(`section.region[data-region="${env.plan.primaryRegion}"] a.machine`).allTextContents()).resolves.toContain(env.machines.backup.split(':').pop());

    // WHEN the engineer opens the failover machine and starts an execution with {}
    await recovery.locator('a.machine', { hasText: env.machines.failover.split(':').pop()! }).click();
    await page.locator('#start-open').click();
    await expect(page.locator('#start-input').inputValue()).resolves.toBe('{}');
    await page.locator('#start-name').fill('console-failover-1');
    await page.locator('#start-submit').click();

    // THEN the execution page follows it until the graph shows Succeeded
    await page.locator('#execution-status [data-status="SUCCEEDED"]').waitFor({ timeout: 120_000 });
    expect(page.url()).toContain(encodeURIComponent(':execution:'));
    await expect(page.locator('h1').first().textContent()).resolves.toContain('console-failover-1');
    const graphStates = await page.locator('#graph g.state').evaluateAll((gs) => gs.map((g) => [g.getAttribute('data-state'), g.getAttribute('data-status'), g.getAttribute('data-type')]));
    const byName = new Map(graphStates.map(([name, status, type]) => [name, { status, type }]));
    // the run's first and last steps, and the wave Map drawn as a Map with its iteration inside
    expect(byName.get('Start recovery')?.status).toBe('SUCCEEDED');
    expect(byName.get('Recovery succeeded')?.status).toBe('SUCCEEDED');
    expect(byName.get('Launch waves')).toEqual({ status: 'SUCCEEDED', type: 'Map' });
    expect(byName.get('Launch instances')?.status).toBe('SUCCEEDED');
    expect(byName.get('Wave ready')?.status).toBe('SUCCEEDED');
    // the failure path was never entered
    expect(byName.get('Record failure')?.status).toBe('NOT_STARTED');

    // AND the event history is the execution's (filterable)
    const total = await page.locator('#history tbody tr[data-event]').count();
    expect(total).toBeGreaterThan(10);
    await page.locator('#history-filter').fill('ExecutionSucceeded');
    await expect(page.locator('#history tbody tr[data-event]').count()).resolves.toBe(1);

    // AND a Map's iterations can be browsed
    // (its header: the inner states fill the rest of its box)
    await page.locator('#graph g.state[data-state="Launch waves"] > rect').click({ position: { x: 12, y: 8 } });
    await page.locator('#iterations a[data-iteration="0"]').click();
    await page.locator('#step[data-step="Launch waves"]').waitFor();
    expect(page.url()).toContain('iteration=');

    // AND the page loaded nothing but the sandbox's own address
    const origin = new URL(env.sandbox.endpoint).origin;
    expect(requested.filter((u) => !u.startsWith(origin))).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  test('a failed failover: its failed step shows the cause, and Redrive from the console brings it to Succeeded', { timeout: 180_000 }, async () => {
    screenshotOnFailure('console-redrive');
    // GIVEN a failover that failed because the db instance's status checks ended impaired
    env.sandbox.ec2.setFaults({ impaired: [{ region: env.plan.recoveryRegion, tags: { [TAG_KEYS.workload]: 'db' } }] });
    const failed = await env.runToEnd('failover', {}, 'failover-impaired');
    expect(failed.status).toBe('FAILED');
    const cause = failure(failed.events)!.cause!;
    env.sandbox.ec2.setFaults({});

    // WHEN the engineer opens it in the console
    await page.goto(`${env.sandbox.endpoint}/#/ex/${encodeURIComponent(failed.executionArn)}`);
    await page.locator('#execution-status [data-status="FAILED"]').waitFor();
    // THEN the failed step is marked, and selecting it shows its error and cause
    const failedStates = await page.locator('#graph g.state[data-status="FAILED"]').evaluateAll((gs) => gs.map((g) => g.getAttribute('data-state')));
    expect(failedStates.length).toBeGreaterThan(0);
    await page.locator(`#graph g.state[data-state="${failedStates[0]}"]`).click();
    await page.locator(`#step[data-step="${failedStates[0]}"]`).waitFor();
    const stepCause = await page.locator('#step-cause').textContent();
    expect(stepCause).toMatch(/impaired/);
    // the cause reads as a sentence (error name and message); the recorded JSON, with its stack
    // trace, stays behind "As recorded"
    const recorded = JSON.parse(cause) as { errorType: string; errorMessage: string };
    await expect(page.locator('#execution-cause').textContent()).resolves.toBe(`${recorded.errorType}: ${recorded.errorMessage}`);

    // WHEN they press Redrive
    await page.locator('#redrive').click();
    // THEN the run goes on and ends Succeeded, counted as redriven once
    await page.locator('#execution-status [data-status="SUCCEEDED"]').waitFor({ timeout: 120_000 });
    await expect(page.locator('#redrive-count').textContent()).resolves.toBe('1');
    // AND the machine's executions list shows both runs with their redrive counts
    await page.goto(`${env.sandbox.endpoint}/#/sm/${encodeURIComponent(env.machines.failover)}`);
    await expect(page.locator('#executions tr[data-execution="failover-impaired"] td').nth(4).textContent()).resolves.toBe('1');
    await expect(page.locator('#executions tr[data-execution="console-failover-1"] td').nth(4).textContent()).resolves.toBe('0');
    expect(pageErrors).toEqual([]);
  });

  test('bad input in the start form is refused in the page with what was expected, and starts nothing', { timeout: 60_000 }, async () => {
    screenshotOnFailure('console-bad-input');
    const drills = async () => (await env.sfn(env.plan.recoveryRegion).send(new ListExecutionsCommand({ stateMachineArn: env.machines.drill }))).executions!.length;
    const before = await drills();
    await page.goto(`${env.sandbox.endpoint}/#/sm/${encodeURIComponent(env.machines.drill)}`);
    await page.locator('#start-open').click();
    await page.locator('#start-input').fill('{"pin": ');
    await page.locator('#start-submit').click();
    await expect(page.locator('#start-error').textContent()).resolves.toMatch(/^Input: expected JSON, found a syntax error/);
    expect(page.url()).toContain('#/sm/');
    expect(await drills()).toBe(before);
    // a name Step Functions refuses comes back as its own error, shown in the page
    await page.locator('#start-input').fill('{}');
    await page.locator('#start-name').fill('has spaces and ? marks');
    await page.locator('#start-submit').click();
    // (the answer comes back asynchronously: wait for the message to change)
    await page.locator('#start-error', { hasText: 'InvalidName' }).waitFor({ timeout: 10_000 });
    expect(await drills()).toBe(before);
  });

  test("Lifeboat's pages: the plan, each workload's recovery point against the RPO, recent runs and a run's report", { timeout: 120_000 }, async () => {
    screenshotOnFailure('console-lifeboat-pages');
    // GIVEN the console's navigation
    await page.goto(`${env.sandbox.endpoint}/`);
    await page.locator('#nav a', { hasText: 'Lifeboat plans' }).click();
    // THEN the deployed plan is listed with its regions and objectives
    const row = page.locator(`#plans tr[data-plan="${env.plan.name}"]`);
    await row.waitFor();
    await expect(row.locator('td').nth(1).textContent()).resolves.toBe(`${env.plan.primaryRegion} → ${env.plan.recoveryRegion}`);
    await row.locator('a').click();
    // AND its page shows every workload with the age of its recovery point, judged against the RPO
    const workloads = await page.locator('#workloads tbody tr').evaluateAll((rows) => rows.map((r) => [r.getAttribute('data-workload'), r.querySelector('[data-age]')?.getAttribute('data-age'), r.lastElementChild?.textContent]));
    expect(workloads.map(([name]) => name)).toEqual(env.plan.workloads.map((w) => w.name));
    const rpoSeconds = env.plan.objectives.rpoMinutes * 60;
    for (const [, age, verdict] of workloads) {
      expect(Number(age)).toBeGreaterThanOrEqual(0);
      expect(verdict).toBe(Number(age) <= rpoSeconds ? 'met' : 'MISSED');
    }
    // AND the runs so far (the backup and the failovers) link to their reports
    await expect(page.locator('#runs tr[data-run]').count()).resolves.toBeGreaterThanOrEqual(3);
    await page.locator('#runs tr[data-run="console-failover-1"] a.report').click();
    // THEN the report is the one `lifeboat report` writes, with its verdict
    await expect(page.locator('#verdict strong').textContent()).resolves.toMatch(/^(MET|MISSED)$/);
    expect(pageErrors).toEqual([]);
  });

  test('another web page cannot use the sandbox: a cross-origin call is refused', async () => {
    const res = await fetch(`${env.sandbox.endpoint}/`, {
      method: 'POST',
      headers: { Origin: 'http://evil.example', 'Content-Type': 'application/x-amz-json-1.0', 'X-Amz-Target': 'AWSStepFunctions.ListStateMachines' },
      body: '{}',
    });
    expect(res.status).toBe(403);
    const page = await fetch(`${env.sandbox.endpoint}/`, { headers: { Origin: 'http://evil.example' } });
    expect(page.status).toBe(403);
    const own = await fetch(`${env.sandbox.endpoint}/`);
    expect(own.status).toBe(200);
    expect(own.headers.get('content-security-policy')).toContain("default-src 'none'");
  });
});
