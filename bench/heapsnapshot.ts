/**
 * Reads a V8 heap snapshot (`v8.writeHeapSnapshot`, bench/backup-heap.ts --snapshot) as a dominator
 * tree: what each object keeps alive on its own (its retained size), printed from the roots down
 * for every object that keeps at least `--min-mib`, so the largest retainers can be read without
 * DevTools (docs/decisions/0022).
 *
 *   node --max-old-space-size=4000 --import tsx bench/heapsnapshot.ts /tmp/backup.heapsnapshot [--min-mib 2] [--depth 8]
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

interface Snapshot {
  readonly snapshot: { readonly meta: { readonly node_fields: string[]; readonly edge_fields: string[]; readonly node_types: [string[]]; readonly edge_types: [string[]] } };
  readonly nodes: number[];
  readonly edges: number[];
  readonly strings: string[];
}

const { values, positionals } = parseArgs({ allowPositionals: true, options: { 'min-mib': { type: 'string', default: '2' }, depth: { type: 'string', default: '8' } } });
if (positionals.length !== 1) {
  process.stderr.write('heapsnapshot › expected one heap snapshot file (bench/backup-heap.ts --snapshot writes one)\n');
  process.exit(2);
}
const s = JSON.parse(readFileSync(positionals[0]!, 'utf8')) as Snapshot;
const meta = s.snapshot.meta;
const NF = meta.node_fields.length;
const EF = meta.edge_fields.length;
const [nType, nName, nSelf, nEdges] = ['type', 'name', 'self_size', 'edge_count'].map((f) => meta.node_fields.indexOf(f)) as [number, number, number, number];
const [eType, eName, eTo] = ['type', 'name_or_index', 'to_node'].map((f) => meta.edge_fields.indexOf(f)) as [number, number, number];
const nodeTypes = meta.node_types[0];
const edgeTypes = meta.edge_types[0];
const { nodes, edges, strings } = s;
const count = nodes.length / NF;
const firstEdge = new Uint32Array(count + 1);
for (let i = 0, e = 0; i < count; i++) {
  firstEdge[i] = e;
  e += nodes[i * NF + nEdges]! * EF;
  firstEdge[i + 1] = e;
}
// Weak and shortcut edges keep nothing alive.
const skipped = new Set([edgeTypes.indexOf('weak'), edgeTypes.indexOf('shortcut')]);
const strong = (e: number) => !skipped.has(edges[e + eType]!);
const target = (e: number) => edges[e + eTo]! / NF;

// Post-order from the root (node 0).
const postIndex = new Int32Array(count).fill(-1);
const order: number[] = [];
const cursor = new Uint32Array(count);
const seen = new Uint8Array(count);
const stack = [0];
seen[0] = 1;
cursor[0] = firstEdge[0]!;
while (stack.length > 0) {
  const v = stack[stack.length - 1]!;
  if (cursor[v]! < firstEdge[v + 1]!) {
    const e = cursor[v]!;
    cursor[v] = e + EF;
    if (!strong(e)) continue;
    const w = target(e);
    if (seen[w]) continue;
    seen[w] = 1;
    cursor[w] = firstEdge[w]!;
    stack.push(w);
  } else {
    stack.pop();
    postIndex[v] = order.length;
    order.push(v);
  }
}
const predecessors: number[][] = Array.from({ length: count }, () => []);
for (let v = 0; v < count; v++) {
  if (!seen[v]) continue;
  for (let e = firstEdge[v]!; e < firstEdge[v + 1]!; e += EF) if (strong(e)) predecessors[target(e)]!.push(v);
}
// Immediate dominators (Cooper, Harvey and Kennedy's iterative algorithm over the post-order).
const idom = new Int32Array(count).fill(-1);
idom[0] = 0;
for (let changed = true; changed; ) {
  changed = false;
  for (let k = order.length - 2; k >= 0; k--) {
    const v = order[k]!;
    let d = -1;
    for (const u of predecessors[v]!) {
      if (idom[u] === -1) continue;
      if (d === -1) {
        d = u;
        continue;
      }
      let a = u;
      let b = d;
      while (a !== b) {
        while (postIndex[a]! < postIndex[b]!) a = idom[a]!;
        while (postIndex[b]! < postIndex[a]!) b = idom[b]!;
      }
      d = a;
    }
    if (d !== idom[v]) {
      idom[v] = d;
      changed = true;
    }
  }
}
const retained = new Float64Array(count);
const children = new Map<number, number[]>();
for (const v of order) {
  retained[v] = retained[v]! + nodes[v * NF + nSelf]!;
  if (v === 0) continue;
  retained[idom[v]!] = retained[idom[v]!]! + retained[v]!;
  const list = children.get(idom[v]!) ?? [];
  list.push(v);
  children.set(idom[v]!, list);
}

const describe = (v: number): string => {
  const type = nodeTypes[nodes[v * NF + nType]!]!;
  const name = strings[nodes[v * NF + nName]!]!;
  return type.includes('string') ? `${type} ${JSON.stringify(name.slice(0, 60))}` : `${type} ${name}`;
};
const edgeName = (from: number, to: number): string => {
  for (let e = firstEdge[from]!; e < firstEdge[from + 1]!; e += EF) {
    if (target(e) !== to) continue;
    const type = edgeTypes[edges[e + eType]!];
    return type === 'element' || type === 'hidden' ? `[${edges[e + eName]}]` : strings[edges[e + eName]!]!;
  }
  return '?';
};
const mib = (b: number) => (b / 2 ** 20).toFixed(1);
const minBytes = Number(values['min-mib']) * 2 ** 20;
const maxDepth = Number(values.depth);

process.stdout.write(`${mib(retained[0]!)} MiB reachable, ${count} objects\n`);
function show(v: number, depth: number): void {
  const kids = (children.get(v) ?? []).sort((a, b) => retained[b]! - retained[a]!);
  let rest = 0;
  let restCount = 0;
  for (const k of kids) {
    if (retained[k]! >= minBytes && depth < maxDepth) {
      process.stdout.write(`${'  '.repeat(depth)}${mib(retained[k]!)} MiB ${edgeName(v, k)} → ${describe(k)}\n`);
      show(k, depth + 1);
    } else {
      rest += retained[k]!;
      restCount++;
    }
  }
  if (rest >= minBytes) process.stdout.write(`${'  '.repeat(depth)}${mib(rest)} MiB in ${restCount} smaller objects\n`);
}
show(0, 0);
