/**
 * Summarises a V8 CPU profile (`node --cpu-prof`): self time by function and by file, and the
 * total (inclusive) time of the heaviest functions, so a hot path can be read without DevTools.
 *
 *   node --cpu-prof --cpu-prof-dir /tmp/prof --import tsx bench/week.ts --days 1
 *   node --import tsx bench/cpuprofile.ts /tmp/prof/CPU.*.cpuprofile [--top 40]
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly children?: readonly number[];
}

interface Profile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** A short name for a script URL: the path from the repository or node_modules package on. */
function shortFile(url: string): string {
  if (url === '') return '(native)';
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) return url.slice(nm + 'node_modules/'.length);
  const repo = url.search(/\/(sandbox|tasks|cli|schemas|workflows|bench|test|infra)\//);
  return repo >= 0 ? url.slice(repo + 1) : url.replace(/^file:\/\//, '');
}

/** Self ms by function and by file, and inclusive ms by function. */
export function summarise(profile: Profile): { totalMs: number; selfByFunction: Map<string, number>; selfByFile: Map<string, number>; totalByFunction: Map<string, number> } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const selfMs = new Map<number, number>();
  let totalMs = 0;
  profile.samples.forEach((id, i) => {
    const ms = (profile.timeDeltas[i] ?? 0) / 1000;
    totalMs += ms;
    selfMs.set(id, (selfMs.get(id) ?? 0) + ms);
  });
  const label = (n: ProfileNode) => `${n.callFrame.functionName || '(anonymous)'} ${shortFile(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;
  const selfByFunction = new Map<string, number>();
  const selfByFile = new Map<string, number>();
  const totalByFunction = new Map<string, number>();
  for (const [id, ms] of selfMs) {
    const n = byId.get(id)!;
    const add = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + ms);
    add(selfByFunction, label(n));
    add(selfByFile, shortFile(n.callFrame.url).replace(/:\d+$/, ''));
    // Inclusive: count each distinct function once per stack.
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const l = label(byId.get(cur)!);
      if (seen.has(l)) continue;
      seen.add(l);
      add(totalByFunction, l);
    }
  }
  return { totalMs, selfByFunction, selfByFile, totalByFunction };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values, positionals } = parseArgs({ options: { top: { type: 'string', default: '30' } }, allowPositionals: true });
  const top = Number(values.top);
  for (const file of positionals) {
    const s = summarise(JSON.parse(readFileSync(file, 'utf8')) as Profile);
    const print = (title: string, m: Map<string, number>) => {
      process.stdout.write(`\n## ${title}\n`);
      for (const [k, ms] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top)) {
        process.stdout.write(`${ms.toFixed(0).padStart(8)} ms ${((100 * ms) / s.totalMs).toFixed(1).padStart(5)}%  ${k}\n`);
      }
    };
    process.stdout.write(`# ${file}: ${s.totalMs.toFixed(0)} ms sampled\n`);
    print('self time by file', s.selfByFile);
    print('self time by function', s.selfByFunction);
    print('total time by function', s.totalByFunction);
  }
}
