/**
 * The drill report in a real browser: headless Chromium (Debian's `chromium` package, installed by
 * `.ci/run`) opens the reports the CLI wrote, a successful drill's and a failed one's, and reads
 * what a person sees. A screenshot is written on failure (test-results/screenshots/).
 *
 * A test that needs Chromium and cannot find it fails, naming the command that installs it.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { type Browser, type Page, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, onTestFailed, test } from 'vitest';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../..');
const CHROMIUM = '/usr/bin/chromium';
const INSTALL = 'apt-get update && apt-get install -y chromium';
const SCREENSHOTS = join(ROOT, 'test-results', 'screenshots');

/** Runs `node bin/lifeboat.js …` in its own process, as a user would. */
async function lifeboat(...args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['bin/lifeboat.js', ...args], { cwd: ROOT, timeout: 240_000, maxBuffer: 16 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1' } });
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; code?: number };
    return { stdout: e.stdout ?? '', stderr: e.stderr ?? '', code: typeof e.code === 'number' ? e.code : 1 };
  }
}

describe('cli: the drill report in headless Chromium', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lifeboat-report-browser-'));
  let browser: Browser | undefined;
  let page: Page;
  const requested: string[] = [];

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`this test needs Chromium at ${CHROMIUM}, which is missing: install it with '${INSTALL}' (.ci/run does)`);
    }
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('request', (request) => requested.push(request.url()));
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Opens a report; on a failed test, leaves a full-page screenshot. */
  async function open(file: string, shot: string): Promise<void> {
    onTestFailed(async () => {
      mkdirSync(SCREENSHOTS, { recursive: true });
      const path = join(SCREENSHOTS, `${shot}.png`);
      await page.screenshot({ path, fullPage: true }).catch(() => undefined);
      console.error(`screenshot: ${path}`);
    });
    requested.length = 0;
    await page.goto(pathToFileURL(file).href);
  }

  test("the demo's drill report: the verdict, an RPO and RTO row per workload, timeline bars, resources; nothing loaded from anywhere", { timeout: 300_000 }, async () => {
    // GIVEN the report `npm start` writes for its drill
    const demo = await lifeboat('demo', '--data', join(dir, 'demo'));
    expect(demo.code, demo.stderr).toBe(0);
    const file = /Drill report \(HTML, for an auditor\): (\S+\.html)/.exec(demo.stdout)?.[1];
    expect(file, demo.stdout).toBeDefined();

    // WHEN a person opens it
    await open(file!, 'demo-drill-report');

    // THEN they read the verdict first
    const verdict = page.locator('#verdict');
    await expect(verdict.locator('strong').textContent()).resolves.toBe('MET');
    expect(await verdict.textContent()).toContain('every objective was met');
    // a row per workload of the example plan, each with RPO and RTO met against 4h00m and 1h00m
    const rows = await page.locator('#objectives tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent?.trim())));
    const byWorkload = new Map(rows.map((cells) => [cells[0], cells]));
    for (const workload of ['db', 'web', 'reports']) {
      const cells = byWorkload.get(workload);
      expect(cells, `objective row of ${workload}`).toBeDefined();
      expect([cells![2], cells![3], cells![5], cells![6]]).toEqual(['4h00m', 'met', '1h00m', 'met']);
    }
    // the timeline: visible bars for the launch waves and the teardown, on a time axis
    const bars = page.locator('svg.timeline rect.bar');
    expect(await bars.count()).toBeGreaterThan(10);
    const waveRows = await page.locator('svg.timeline g.bar-row[data-iteration]').evaluateAll((gs) => [...new Set(gs.map((g) => g.getAttribute('data-iteration')))]);
    expect(waveRows).toEqual(['Launch waves #0', 'Launch waves #1']);
    const teardown = page.locator('svg.timeline g[data-step="Tear down drill"] rect.bar');
    const box = await teardown.first().boundingBox();
    expect(box?.width).toBeGreaterThan(0);
    expect(await page.locator('svg.timeline text.tick').count()).toBe(6);
    // resources: four instances launched, four torn down
    expect(await page.locator('#resource-summary').textContent()).toBe('created 4, torn down 4');
    // the file loaded nothing but itself
    expect(requested).toEqual([pathToFileURL(file!).href]);
  });

  test("a failed drill's report: FAILED, the step, and a readable cause without stack or paths", { timeout: 300_000 }, async () => {
    // GIVEN a drill run before any backup (no recovery point: pre-flight stops it before any
    // launch) and its report written by the CLI
    const data = join(dir, 'failed');
    const drill = await lifeboat('drill', '--local', '--data', data, '--plan', 'examples/small.plan.json', '--follow', '--json');
    const { name, status } = JSON.parse(drill.stdout) as { name: string; status: string };
    expect(status).toBe('FAILED');
    const file = join(dir, 'failed.html');
    const report = await lifeboat('report', name, '--local', '--data', data, '--plan', 'examples/small.plan.json', '--html', file);
    expect(report.code, report.stderr).toBe(1);
    expect(report.stdout.trim()).toBe(file);

    // WHEN a person opens it
    await open(file, 'failed-drill-report');

    // THEN
    await expect(page.locator('#verdict strong').textContent()).resolves.toBe('FAILED');
    const reasons = (await page.locator('#verdict').textContent()) ?? '';
    expect(reasons).toContain('the run FAILED in step "Pre-flight checks"');
    expect(reasons).toContain('no verified, available recovery point');
    const cause = (await page.locator('#cause').textContent()) ?? '';
    expect(cause).toContain('Lifeboat.PreflightBlocked');
    expect(cause).not.toMatch(/errorType|"trace"|\.ts:\d+/);
    // the timeline shows the checks, then the failure path ending at the failed state; nothing launched
    const rows = await page.locator('svg.timeline rect.bar title').allTextContents();
    expect(rows[0]).toMatch(/^Pre-flight checks: /);
    expect(rows.some((t) => /^Launch/.test(t))).toBe(false);
    expect(await page.locator('svg.timeline rect.bar-failed').count()).toBeGreaterThan(0);
  });
});
