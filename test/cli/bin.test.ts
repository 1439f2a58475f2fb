import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const broken = 'examples/broken.plan.json';

describe('cli: bin/lifeboat.js', () => {
  test.runIf(existsSync(`${root}${broken}`))('exits 1 on the broken example plan and names each bad path', () => {
    const run = spawnSync(process.execPath, ['bin/lifeboat.js', 'plan', 'check', broken], { cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });

    expect(run.status).toBe(1);
    const lines = run.stdout.trim().split('\n');
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines) expect(line).toMatch(/^examples\/broken\.plan\.json( › \S+)?: expected .+, found .+$/);
  });

  test('exits 2 on bad usage, through the real process', () => {
    const run = spawnSync(process.execPath, ['bin/lifeboat.js', 'history'], { cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });

    expect(run.status).toBe(2);
    expect(run.stderr).toContain('lifeboat history: missing EXECUTION');
  });
});
