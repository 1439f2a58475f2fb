// The sandbox console: a single page that talks to the sandbox's Step Functions API the way any
// client does (AWS JSON 1.0 over POST /, the region in the credential scope). No framework and
// nothing loaded from anywhere else. Routes: #/ (state machines by region), #/sm/<arn>
// (executions, Start execution), #/ex/<arn> (graph, step details, event history, Stop, Redrive).

const config = JSON.parse(document.getElementById('config').textContent);
const main = document.getElementById('main');
let refreshTimer;

// ---------------------------------------------------------------------------------------------
// The API
// ---------------------------------------------------------------------------------------------

class ApiError extends Error {
  constructor(code, message) {
    super(`${code}: ${message}`);
    this.code = code;
  }
}

/** One Step Functions call in `region`. */
async function sfn(region, action, body = {}) {
  const res = await fetch('/', {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-amz-json-1.0',
      'X-Amz-Target': `AWSStepFunctions.${action}`,
      // The sandbox reads the region from the credential scope and checks no signature.
      Authorization: `AWS4-HMAC-SHA256 Credential=console/20000101/${region}/states/aws4_request, SignedHeaders=host, Signature=console`,
    },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  const value = text ? JSON.parse(text) : {};
  if (!res.ok) throw new ApiError(String(value.__type ?? res.status).split('#').pop(), value.message ?? value.Message ?? text);
  return value;
}

/** Every page of a paged call, concatenated (`key` names the list). */
async function all(region, action, body, key, limit = 10_000) {
  const items = [];
  let nextToken;
  do {
    const page = await sfn(region, action, { ...body, ...(nextToken ? { nextToken } : {}) });
    items.push(...(page[key] ?? []));
    nextToken = page.nextToken;
  } while (nextToken && items.length < limit);
  return items;
}

const regionOf = (arn) => arn.split(':')[3];

// ---------------------------------------------------------------------------------------------
// Small DOM helpers
// ---------------------------------------------------------------------------------------------

/** Creates an element: h('a', { href: '#/' }, 'text', child, …). */
function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) if (c !== undefined && c !== null && c !== false) el.append(c instanceof Node ? c : String(c));
  return el;
}

const SVG = 'http://www.w3.org/2000/svg';
function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined) el.setAttribute(k, String(v));
  for (const c of children.flat()) if (c !== undefined && c !== null) el.append(c instanceof Node ? c : String(c));
  return el;
}

function toast(message) {
  const t = document.getElementById('toast');
  t.textContent = message;
  t.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => (t.hidden = true), 8000);
}

const date = (epochSeconds) => (epochSeconds === undefined ? '—' : new Date(epochSeconds * 1000).toISOString().replace('.000Z', 'Z'));
function duration(ms) {
  if (ms === undefined || Number.isNaN(ms)) return '—';
  const sec = Math.round(ms / 1000);
  if (sec < 60) return `${sec}s`;
  const m = Math.floor(sec / 60);
  if (m < 60) return `${m}m ${sec % 60}s`;
  return `${Math.floor(m / 60)}h ${m % 60}m`;
}
const pretty = (text) => {
  if (text === undefined || text === null) return '';
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return String(text);
  }
};
/**
 * A cause as a person reads it: a Lambda error recorded as JSON (errorType, errorMessage, trace)
 * shows as "errorType: errorMessage"; the cause as recorded stays one click away.
 */
function causeBlock(id, text) {
  const value = safeParse(text);
  const readable = value && typeof value === 'object' && typeof value.errorMessage === 'string' ? `${value.errorType ? `${value.errorType}: ` : ''}${value.errorMessage}` : pretty(text);
  return h('div', {}, h('pre', { id }, readable), readable !== pretty(text) ? h('details', { class: 'raw' }, h('summary', {}, 'As recorded'), h('pre', {}, pretty(text))) : []);
}
const statusBadge = (status) => h('span', { class: `badge ${String(status).toLowerCase()}`, 'data-status': status }, status);

async function showClock() {
  try {
    const res = await fetch('/_sandbox/clock', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    const clock = await res.json();
    document.getElementById('clock').textContent = `${clock.kind} clock ${clock.now}`;
  } catch {
    /* the clock is a nicety */
  }
}

// ---------------------------------------------------------------------------------------------
// Pages
// ---------------------------------------------------------------------------------------------

async function machinesPage() {
  const results = await Promise.all(
    config.regions.map((region) => all(region, 'ListStateMachines', { maxResults: 1000 }, 'stateMachines').then((m) => m.map((x) => ({ ...x, region })), () => [])),
  );
  const machines = results.flat();
  const byRegion = new Map();
  for (const m of machines) byRegion.set(m.region, [...(byRegion.get(m.region) ?? []), m]);
  const sections = [...byRegion.entries()].map(([region, list]) =>
    h('section', { class: 'region', 'data-region': region },
      h('h2', {}, region),
      h('table', {},
        h('thead', {}, h('tr', {}, h('th', {}, 'Name'), h('th', {}, 'Type'), h('th', {}, 'Created'))),
        h('tbody', {}, list.map((m) => h('tr', {}, h('td', {}, h('a', { href: `#/sm/${encodeURIComponent(m.stateMachineArn)}`, class: 'machine' }, m.name)), h('td', {}, m.type), h('td', {}, date(m.creationDate))))),
      ),
    ),
  );
  return [h('h1', {}, 'State machines'), sections.length ? sections : h('p', { class: 'muted' }, `No state machine in any of the ${config.regions.length} regions yet.`)];
}

async function machinePage(arn) {
  const region = regionOf(arn);
  const [machine, executions] = await Promise.all([
    sfn(region, 'DescribeStateMachine', { stateMachineArn: arn }),
    sfn(region, 'ListExecutions', { stateMachineArn: arn, maxResults: 100 }),
  ]);
  const form = startForm(arn, region);
  const rows = executions.executions.map((e) =>
    h('tr', { 'data-execution': e.name },
      h('td', {}, h('a', { href: `#/ex/${encodeURIComponent(e.executionArn)}` }, e.name)),
      h('td', {}, statusBadge(e.status)),
      h('td', {}, date(e.startDate)),
      h('td', {}, duration(((e.stopDate ?? Date.now() / 1000) - e.startDate) * 1000)),
      h('td', {}, String(e.redriveCount ?? 0)),
    ),
  );
  return [
    h('p', { class: 'crumbs' }, h('a', { href: '#/' }, 'State machines'), ` › ${region}`),
    h('h1', {}, machine.name),
    h('p', { class: 'muted' }, `${machine.type} · ${arn}`),
    form,
    h('h2', {}, 'Executions'),
    rows.length
      ? h('table', { id: 'executions' }, h('thead', {}, h('tr', {}, ['Name', 'Status', 'Started', 'Duration', 'Redrives'].map((t) => h('th', {}, t)))), h('tbody', {}, rows))
      : h('p', { class: 'muted' }, 'No executions yet.'),
  ];
}

function startForm(arn, region) {
  const name = h('input', { id: 'start-name', placeholder: 'name (optional: one is made up)', size: 40 });
  const input = h('textarea', { id: 'start-input', rows: 4, cols: 60, spellcheck: 'false' });
  input.value = '{}';
  const error = h('p', { class: 'error', id: 'start-error', hidden: true });
  const details = h('details', { id: 'start' },
    h('summary', { class: 'button primary', id: 'start-open' }, 'Start execution'),
    h('form', {
      onsubmit: async (event) => {
        event.preventDefault();
        error.hidden = true;
        let text = input.value.trim() || '{}';
        try {
          JSON.parse(text);
        } catch (e) {
          error.textContent = `Input: expected JSON, found a syntax error (${e.message}).`;
          error.hidden = false;
          return;
        }
        try {
          const started = await sfn(region, 'StartExecution', { stateMachineArn: arn, input: text, ...(name.value.trim() ? { name: name.value.trim() } : {}) });
          location.hash = `#/ex/${encodeURIComponent(started.executionArn)}`;
        } catch (e) {
          error.textContent = e.message;
          error.hidden = false;
        }
      },
    },
      h('label', {}, 'Name ', name),
      h('label', {}, 'Input ', input),
      h('button', { type: 'submit', class: 'primary', id: 'start-submit' }, 'Start execution'),
      error,
    ),
  );
  return details;
}

// ---------------------------------------------------------------------------------------------
// An execution: history → per-state status, the graph, the step panel, the event table
// ---------------------------------------------------------------------------------------------

/** The state each event belongs to and, inside a Map, the iteration, found through previousEventId. */
function analyse(events) {
  const byId = new Map(events.map((e) => [e.id, e]));
  const stateOf = new Map();
  const iterationOf = new Map();
  const detailsOf = (e) => {
    for (const [k, v] of Object.entries(e)) if (k.endsWith('EventDetails') && v && typeof v === 'object') return v;
    return {};
  };
  const owner = (e, seen = 0) => {
    if (stateOf.has(e.id)) return stateOf.get(e.id);
    let result;
    if (e.type.endsWith('StateEntered')) result = detailsOf(e).name;
    else if (e.type.endsWith('StateExited')) result = detailsOf(e).name;
    else if (e.previousEventId && byId.has(e.previousEventId) && seen < 5000) result = owner(byId.get(e.previousEventId), seen + 1);
    stateOf.set(e.id, result);
    return result;
  };
  const iteration = (e, seen = 0) => {
    if (iterationOf.has(e.id)) return iterationOf.get(e.id);
    let result;
    if (e.type === 'MapIterationStarted' || e.type === 'MapIterationSucceeded' || e.type === 'MapIterationFailed' || e.type === 'MapIterationAborted') {
      const d = detailsOf(e);
      result = { map: d.name, index: d.index };
    } else if (e.type === 'MapStateEntered' || e.type === 'MapStateExited') result = undefined;
    else if (e.previousEventId && byId.has(e.previousEventId) && seen < 5000) result = iteration(byId.get(e.previousEventId), seen + 1);
    iterationOf.set(e.id, result);
    return result;
  };
  const states = new Map();
  const at = (name) => {
    if (!states.has(name)) states.set(name, { name, status: 'NOT_STARTED', visits: 0, events: [] });
    return states.get(name);
  };
  const iterations = new Map();
  for (const e of events) {
    const name = owner(e);
    const it = iteration(e);
    e.state = name;
    e.iteration = it;
    if (it && e.type.startsWith('MapIteration')) {
      const list = iterations.get(it.map) ?? new Map();
      const status = e.type === 'MapIterationStarted' ? 'RUNNING' : e.type.replace('MapIteration', '').toUpperCase();
      list.set(it.index, status);
      iterations.set(it.map, list);
    }
    if (!name) continue;
    const st = at(name);
    st.events.push(e);
    const d = detailsOf(e);
    if (e.type.endsWith('StateEntered')) {
      st.visits += 1;
      st.status = 'RUNNING';
      st.failedInVisit = false;
      st.input = d.input;
    } else if (e.type.endsWith('StateExited')) {
      // Exited after a failure in the same visit: a Catch handled it.
      st.status = st.failedInVisit ? 'CAUGHT' : 'SUCCEEDED';
      st.output = d.output;
    } else if (/(Failed|TimedOut|Aborted)$/.test(e.type) && (d.error !== undefined || d.cause !== undefined)) {
      st.status = e.type.endsWith('Aborted') ? 'ABORTED' : 'FAILED';
      st.failedInVisit = true;
      st.error = d.error;
      st.cause = d.cause;
    } else if (/(Scheduled|Started)$/.test(e.type) && st.status === 'FAILED') {
      // A Retry: the state runs again.
      st.status = 'RUNNING';
      st.failedInVisit = false;
    }
  }
  return { states, iterations, detailsOf };
}

/** Lays out a States object as rows (longest path from StartAt), nested Map/Parallel inside their box. */
function layout(def) {
  const names = Object.keys(def.States);
  // Next, Default and Choices before Catch: the main road is explored first, so the failure path
  // and the "resume after redrive" loops back are what become back edges.
  const targets = (name) => {
    const st = def.States[name];
    const out = [];
    if (st.Next) out.push({ to: st.Next, kind: 'next' });
    for (const c of st.Choices ?? []) if (c.Next) out.push({ to: c.Next, kind: 'next' });
    if (st.Default) out.push({ to: st.Default, kind: 'next' });
    for (const c of st.Catch ?? []) if (c.Next) out.push({ to: c.Next, kind: 'catch' });
    return out.filter((t) => def.States[t.to]);
  };
  const mark = new Map();
  const post = [];
  const back = new Set();
  const dfs = (n) => {
    mark.set(n, 1);
    for (const t of targets(n)) {
      const m = mark.get(t.to) ?? 0;
      if (m === 1) back.add(`${n}\u0000${t.to}`);
      else if (m === 0) dfs(t.to);
    }
    mark.set(n, 2);
    post.push(n);
  };
  dfs(def.StartAt);
  for (const n of names) if (!mark.has(n)) dfs(n);
  const order = post.reverse();
  // Longest path from the start over the edges that are not back edges.
  const rank = new Map();
  for (const n of order) {
    const r = rank.get(n) ?? 0;
    rank.set(n, r);
    for (const t of targets(n)) if (!back.has(`${n}\u0000${t.to}`)) rank.set(t.to, Math.max(rank.get(t.to) ?? 0, r + 1));
  }
  const edges = [];
  for (const n of names) for (const t of targets(n)) edges.push({ from: n, to: t.to, kind: t.kind, back: back.has(`${n}\u0000${t.to}`) || rank.get(t.to) <= rank.get(n) });

  const nodes = new Map();
  for (const n of names) {
    const st = def.States[n];
    const inner = st.Type === 'Map' ? [layout(st.ItemProcessor ?? st.Iterator)] : st.Type === 'Parallel' ? st.Branches.map(layout) : [];
    const label = Math.max(n.length * 7.2 + 28, 120);
    const innerW = inner.reduce((w, l) => w + l.width + 16, inner.length ? 16 : 0);
    const innerH = inner.reduce((m, l) => Math.max(m, l.height), 0);
    nodes.set(n, { name: n, type: st.Type, w: Math.max(label, innerW), h: inner.length ? innerH + 46 : 36, inner, distributed: st.ItemProcessor?.ProcessorConfig?.Mode === 'DISTRIBUTED' });
  }
  const rows = [];
  for (const n of order) (rows[rank.get(n)] ??= []).push(n);
  const GAP_X = 24;
  const GAP_Y = 40;
  let y = 12;
  let width = 0;
  const rowWidths = rows.map((row) => row.reduce((w, n) => w + nodes.get(n).w + GAP_X, -GAP_X));
  const maxRow = Math.max(...rowWidths, 0);
  rows.forEach((row, i) => {
    let x = 12 + (maxRow - rowWidths[i]) / 2;
    const rowH = Math.max(...row.map((n) => nodes.get(n).h));
    for (const n of row) {
      const node = nodes.get(n);
      node.x = x;
      node.y = y;
      x += node.w + GAP_X;
    }
    y += rowH + GAP_Y;
    width = Math.max(width, x);
  });
  return { nodes, edges, width: Math.max(width, maxRow + 24) + 40, height: y };
}

function drawGraph(def, analysis, onSelect, selected, iterationFilter) {
  const root = layout(def);
  const svg = s('svg', { id: 'graph', width: root.width, height: root.height, viewBox: `0 0 ${root.width} ${root.height}`, role: 'img', 'aria-label': 'state machine graph' });
  svg.append(s('defs', {}, s('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' }, s('path', { d: 'M 0 0 L 10 5 L 0 10 z', class: 'arrowhead' }))));
  const draw = (l, ox, oy, parent) => {
    for (const e of l.edges) {
      const a = l.nodes.get(e.from);
      const b = l.nodes.get(e.to);
      const x1 = ox + a.x + a.w / 2;
      const y1 = oy + a.y + a.h;
      const x2 = ox + b.x + b.w / 2;
      const y2 = oy + b.y;
      const d = e.back
        ? `M ${ox + a.x + a.w} ${oy + a.y + a.h / 2} C ${ox + a.x + a.w + 40} ${oy + a.y + a.h / 2}, ${ox + b.x + b.w + 40} ${oy + b.y + b.h / 2}, ${ox + b.x + b.w} ${oy + b.y + b.h / 2}`
        : `M ${x1} ${y1} C ${x1} ${(y1 + y2) / 2}, ${x2} ${(y1 + y2) / 2}, ${x2} ${y2}`;
      parent.append(s('path', { d, class: `edge ${e.kind}`, 'marker-end': 'url(#arrow)' }));
    }
    for (const node of l.nodes.values()) {
      const st = analysis.states.get(node.name);
      let status = st?.status ?? 'NOT_STARTED';
      if (iterationFilter && st) {
        const inIteration = st.events.filter((e) => e.iteration && e.iteration.map === iterationFilter.map && e.iteration.index === iterationFilter.index);
        if (st.events.some((e) => e.iteration?.map === iterationFilter.map)) status = statusFrom(inIteration);
      }
      const g = s('g', { class: `state ${status.toLowerCase()}${selected === node.name ? ' selected' : ''}`, 'data-state': node.name, 'data-status': status, 'data-type': node.type, tabindex: 0 });
      g.append(s('rect', { x: ox + node.x, y: oy + node.y, width: node.w, height: node.h, rx: node.inner.length ? 6 : 18 }));
      g.append(s('text', { x: ox + node.x + node.w / 2, y: oy + node.y + (node.inner.length ? 20 : node.h / 2 + 4), 'text-anchor': 'middle' }, node.name));
      if (node.inner.length) g.append(s('text', { x: ox + node.x + 8, y: oy + node.y + 34, class: 'kind' }, node.type === 'Map' ? (node.distributed ? 'Map (distributed)' : 'Map') : `Parallel · ${node.inner.length} branches`));
      g.addEventListener('click', (event) => {
        event.stopPropagation();
        onSelect(node.name);
      });
      parent.append(g);
      let ix = ox + node.x + 16;
      for (const inner of node.inner) {
        const box = s('g', { class: 'inner' });
        box.append(s('rect', { x: ix - 4, y: oy + node.y + 40, width: inner.width - 16, height: inner.height, class: 'branch' }));
        parent.append(box);
        draw(inner, ix - 12, oy + node.y + 40, parent);
        ix += inner.width + 16;
      }
    }
  };
  draw(root, 0, 0, svg);
  return svg;
}

function statusFrom(events) {
  let status = 'NOT_STARTED';
  for (const e of events) {
    if (e.type.endsWith('StateEntered')) status = 'RUNNING';
    else if (e.type.endsWith('StateExited')) status = status === 'FAILED' ? 'CAUGHT' : 'SUCCEEDED';
    else if (/(Failed|TimedOut)$/.test(e.type)) status = 'FAILED';
    else if (/(Scheduled|Started)$/.test(e.type) && status === 'FAILED') status = 'RUNNING';
  }
  return status;
}

const TERMINAL = new Set(['SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED']);

async function executionPage(arn, view) {
  const region = regionOf(arn);
  const [execution, events, machine] = await Promise.all([
    sfn(region, 'DescribeExecution', { executionArn: arn }),
    all(region, 'GetExecutionHistory', { executionArn: arn, maxResults: 1000 }, 'events', 25_000),
    sfn(region, 'DescribeStateMachineForExecution', { executionArn: arn }),
  ]);
  const def = JSON.parse(machine.definition);
  const analysis = analyse(events);
  const machineArn = execution.stateMachineArn;

  const actions = h('div', { class: 'actions' },
    h('button', {
      id: 'stop', disabled: execution.status !== 'RUNNING',
      onclick: async () => {
        if (!confirm(`Stop ${execution.name}? Steps that are running are abandoned.`)) return;
        try {
          await sfn(region, 'StopExecution', { executionArn: arn, error: 'Console.Stopped', cause: 'Stopped from the sandbox console' });
          route();
        } catch (e) {
          toast(e.message);
        }
      },
    }, 'Stop'),
    h('button', {
      id: 'redrive', disabled: !['FAILED', 'ABORTED', 'TIMED_OUT'].includes(execution.status) || execution.redriveStatus === 'NOT_REDRIVABLE',
      title: execution.redriveStatusReason ?? '',
      onclick: async () => {
        try {
          await sfn(region, 'RedriveExecution', { executionArn: arn });
          route();
        } catch (e) {
          toast(e.message);
        }
      },
    }, 'Redrive'),
  );

  const summary = h('dl', { class: 'summary' },
    h('dt', {}, 'Status'), h('dd', { id: 'execution-status' }, statusBadge(execution.status)),
    h('dt', {}, 'Started'), h('dd', {}, date(execution.startDate)),
    h('dt', {}, 'Duration'), h('dd', {}, duration(((execution.stopDate ?? Date.now() / 1000) - execution.startDate) * 1000)),
    h('dt', {}, 'Redrives'), h('dd', { id: 'redrive-count' }, String(execution.redriveCount ?? 0)),
    execution.error ? [h('dt', {}, 'Error'), h('dd', { id: 'execution-error' }, execution.error)] : [],
    execution.cause ? [h('dt', {}, 'Cause'), h('dd', {}, causeBlock('execution-cause', execution.cause))] : [],
  );

  const selected = view.get('step') ?? undefined;
  const iterationParam = view.get('iteration');
  const iterationFilter = iterationParam ? { map: iterationParam.split(':')[0], index: Number(iterationParam.split(':')[1]) } : undefined;
  const select = (name, extra = {}) => {
    const params = new URLSearchParams(view);
    params.set('step', name);
    for (const [k, v] of Object.entries(extra)) (v === undefined ? params.delete(k) : params.set(k, v));
    location.hash = `#/ex/${encodeURIComponent(arn)}?${params}`;
  };
  const graph = h('div', { class: 'graph' }, drawGraph(def, analysis, (name) => select(name), selected, iterationFilter));

  const panel = stepPanel(analysis, selected, def, iterationFilter, select, region, arn);
  const table = historyTable(events, analysis, view.get('filter') ?? '');

  if (!TERMINAL.has(execution.status)) refreshTimer = setTimeout(() => route({ keepScroll: true }), 1000);
  return [
    h('p', { class: 'crumbs' }, h('a', { href: '#/' }, 'State machines'), ' › ', h('a', { href: `#/sm/${encodeURIComponent(machineArn)}` }, machineArn.split(':').pop()), ` › ${region}`),
    h('h1', {}, execution.name, ' ', statusBadge(execution.status)),
    actions,
    summary,
    h('div', { class: 'split' }, h('section', {}, h('h2', {}, 'Graph'), graph), panel),
    table,
  ];
}

function stepPanel(analysis, name, def, iterationFilter, select, region, arn) {
  if (!name) return h('aside', { id: 'step', class: 'step' }, h('p', { class: 'muted' }, 'Select a state in the graph to see its input, output, error and cause.'));
  const st = analysis.states.get(name);
  const stateDef = findState(def, name);
  const events = (st?.events ?? []).filter((e) => !iterationFilter || !e.iteration || e.iteration.map !== iterationFilter.map || e.iteration.index === iterationFilter.index);
  const last = (pred) => [...events].reverse().find(pred);
  const entered = last((e) => e.type.endsWith('StateEntered'));
  const exited = last((e) => e.type.endsWith('StateExited'));
  const failed = last((e) => /(Failed|TimedOut|Aborted)$/.test(e.type) && (analysis.detailsOf(e).error !== undefined || analysis.detailsOf(e).cause !== undefined));
  const block = (title, id, text) => h('div', {}, h('h3', {}, title), text ? h('pre', { id }, pretty(text)) : h('p', { class: 'muted', id }, '—'));
  const iterations = analysis.iterations.get(name);
  const mapRun = events.map((e) => e.mapRunStartedEventDetails?.mapRunArn).find(Boolean);
  return h('aside', { id: 'step', class: 'step', 'data-step': name },
    h('h2', {}, name, ' ', statusBadge(st?.status ?? 'NOT_STARTED')),
    h('p', { class: 'muted' }, `${stateDef?.Type ?? ''} · ${st?.visits ?? 0} visit(s)`),
    iterations
      ? h('div', { class: 'iterations' }, h('h3', {}, 'Iterations'),
          h('ol', { start: 0, id: 'iterations' }, [...iterations.entries()].sort((a, b) => a[0] - b[0]).map(([index, status]) =>
            h('li', {}, h('a', { href: '#', 'data-iteration': index, onclick: (ev) => { ev.preventDefault(); select(name, { iteration: `${name}:${index}` }); } }, `#${index}`), ' ', statusBadge(status)))),
          iterationFilter ? h('p', {}, `Showing iteration #${iterationFilter.index}. `, h('a', { href: '#', onclick: (ev) => { ev.preventDefault(); select(name, { iteration: undefined }); } }, 'show all')) : [])
      : [],
    mapRun ? h('p', {}, h('a', { href: `#/maprun/${encodeURIComponent(mapRun)}`, id: 'map-run' }, 'Child executions of this Map Run')) : [],
    block('Input', 'step-input', entered ? analysis.detailsOf(entered).input : undefined),
    block('Output', 'step-output', exited ? analysis.detailsOf(exited).output : undefined),
    failed ? [block('Error', 'step-error', analysis.detailsOf(failed).error), h('h3', {}, 'Cause'), causeBlock('step-cause', analysis.detailsOf(failed).cause ?? '')] : [],
  );
}

function findState(def, name) {
  if (def.States[name]) return def.States[name];
  for (const st of Object.values(def.States)) {
    for (const inner of [st.ItemProcessor, st.Iterator, ...(st.Branches ?? [])]) {
      if (!inner) continue;
      const found = findState(inner, name);
      if (found) return found;
    }
  }
  return undefined;
}

function historyTable(events, analysis, filter) {
  const input = h('input', { id: 'history-filter', placeholder: 'filter: event type, state or text', size: 40, value: filter });
  const body = h('tbody');
  const start = events[0] ? events[0].timestamp * 1000 : 0;
  const render = () => {
    const q = input.value.trim().toLowerCase();
    body.replaceChildren(
      ...events
        .filter((e) => !q || `${e.type} ${e.state ?? ''} ${JSON.stringify(analysis.detailsOf(e))}`.toLowerCase().includes(q))
        .map((e) => {
          const details = analysis.detailsOf(e);
          const row = h('tr', { 'data-event': e.id, 'data-type': e.type },
            h('td', {}, String(e.id)),
            h('td', {}, e.type),
            h('td', {}, e.state ?? ''),
            h('td', {}, e.iteration ? `#${e.iteration.index}` : ''),
            h('td', {}, duration(e.timestamp * 1000 - start)),
            h('td', {}, date(e.timestamp)),
          );
          const more = h('tr', { class: 'details', hidden: true }, h('td', { colspan: 6 }, h('pre', {}, JSON.stringify(details, (k, v) => (typeof v === 'string' && /^[[{]/.test(v) ? safeParse(v) : v), 2))));
          row.addEventListener('click', () => (more.hidden = !more.hidden));
          return [row, more];
        })
        .flat(),
    );
  };
  input.addEventListener('input', render);
  render();
  return h('section', { class: 'history' },
    h('h2', {}, `Event history (${events.length})`),
    input,
    h('table', { id: 'history' }, h('thead', {}, h('tr', {}, ['ID', 'Type', 'Step', 'Iteration', 'Elapsed', 'Timestamp'].map((t) => h('th', {}, t)))), body),
  );
}

function safeParse(text) {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

async function mapRunPage(mapRunArn) {
  const region = regionOf(mapRunArn);
  const [run, children] = await Promise.all([
    sfn(region, 'DescribeMapRun', { mapRunArn }),
    all(region, 'ListExecutions', { mapRunArn, maxResults: 1000 }, 'executions', 10_000),
  ]);
  return [
    h('p', { class: 'crumbs' }, h('a', { href: '#/' }, 'State machines'), ' › ', h('a', { href: `#/ex/${encodeURIComponent(run.executionArn)}` }, 'parent execution')),
    h('h1', {}, 'Map Run ', statusBadge(run.status)),
    h('p', { class: 'muted' }, mapRunArn),
    h('table', { id: 'children' }, h('thead', {}, h('tr', {}, ['Child execution', 'Status', 'Started', 'Duration'].map((t) => h('th', {}, t)))),
      h('tbody', {}, children.map((e) => h('tr', {}, h('td', {}, h('a', { href: `#/ex/${encodeURIComponent(e.executionArn)}` }, e.name)), h('td', {}, statusBadge(e.status)), h('td', {}, date(e.startDate)), h('td', {}, duration(((e.stopDate ?? Date.now() / 1000) - e.startDate) * 1000)))))),
  ];
}

// ---------------------------------------------------------------------------------------------
// Routing
// ---------------------------------------------------------------------------------------------

async function route(options = {}) {
  clearTimeout(refreshTimer);
  const [path, query] = location.hash.slice(1).split('?');
  const view = new URLSearchParams(query ?? '');
  const parts = (path || '/').split('/').filter(Boolean);
  const scroll = window.scrollY;
  try {
    let content;
    if (parts[0] === 'sm') content = await machinePage(decodeURIComponent(parts[1]));
    else if (parts[0] === 'ex') content = await executionPage(decodeURIComponent(parts[1]), view);
    else if (parts[0] === 'maprun') content = await mapRunPage(decodeURIComponent(parts[1]));
    else content = await machinesPage();
    // Keep the filter's focus and the open start form across live refreshes.
    const focused = document.activeElement?.id;
    main.replaceChildren(...[content].flat(3));
    if (focused) document.getElementById(focused)?.focus();
    if (options.keepScroll) window.scrollTo(0, scroll);
  } catch (e) {
    main.replaceChildren(h('h1', {}, 'Something went wrong'), h('p', { class: 'error', id: 'page-error' }, e.message), h('p', {}, h('a', { href: '#/' }, 'Back to the state machines')));
  }
  showClock();
}

const nav = document.getElementById('nav');
for (const page of config.pages) nav.append(h('a', { href: `/console/pages/${page.id}` }, page.title));
window.addEventListener('hashchange', () => route());
route();
