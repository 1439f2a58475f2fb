/**
 * Lifeboat's pages in the sandbox console (`/console/pages/lifeboat/…`), beside the generic Step
 * Functions views the sandbox draws itself: the plans deployed to this sandbox, each plan's
 * workloads, waves and objectives, its recovery points per workload with their age against the
 * RPO, its recent runs, and each run's report (the same HTML `lifeboat report` writes).
 *
 * Everything is read through the sandbox's public API with the SDK, as the CLI reads AWS: the
 * plans from the run bucket of their recovery region (`plans/<name>.json`, written by every
 * local deployment), recovery points from EC2 by tags, runs from Step Functions.
 */
import { DescribeExecutionCommand, ListExecutionsCommand, SFNClient, type ExecutionListItem } from '@aws-sdk/client-sfn';
import { EC2Client } from '@aws-sdk/client-ec2';
import { GetObjectCommand, ListBucketsCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { Sandbox } from '../../sandbox/index.js';
import { parsePlan, type Plan } from '../../schemas/plan.js';
import { measureRpo } from '../../tasks/_shared/rpo.js';
import { renderReportHtml, esc } from '../render/report-html.js';
import { formatDuration } from '../render/format.js';
import { reportOf } from '../commands/report.js';
import { localRunBucket } from './deploy.js';

/** The object key a plan is kept under in its recovery region's run bucket. */
export function planObjectKey(planName: string): string {
  return `plans/${planName}.json`;
}

/** Keeps the plan where the console finds it (called by every local deployment). */
export async function recordPlan(plan: Plan, endpoint: string, credentials: { accessKeyId: string; secretAccessKey: string }): Promise<void> {
  const s3 = new S3Client({ region: plan.recoveryRegion, endpoint, credentials, forcePathStyle: true, maxAttempts: 3 });
  try {
    await s3.send(new PutObjectCommand({ Bucket: localRunBucket(plan.recoveryRegion), Key: planObjectKey(plan.name), Body: JSON.stringify(plan, null, 2), ContentType: 'application/json' }));
  } finally {
    s3.destroy();
  }
}

const CREDENTIALS = { accessKeyId: 'sandbox', secretAccessKey: 'sandbox' };

/** Adds the Lifeboat pages to a sandbox's console. */
export function addLifeboatPages(sandbox: Sandbox): void {
  sandbox.console.addPage({ id: 'lifeboat', title: 'Lifeboat plans', render: lifeboatPageRenderer(sandbox) });
}

/** Renders the console's Lifeboat page of `sandbox` (cli/local/bind.ts adds it, loading this module on the first view). */
export function lifeboatPageRenderer(sandbox: Sandbox): (rest: string, query: URLSearchParams) => Promise<string | undefined> {
  const clients = {
    s3: (region: string) => new S3Client({ region, endpoint: sandbox.endpoint, credentials: CREDENTIALS, forcePathStyle: true, maxAttempts: 2 }),
    sfn: (region: string) => new SFNClient({ region, endpoint: sandbox.endpoint, credentials: CREDENTIALS, maxAttempts: 2 }),
    ec2: (region: string) => new EC2Client({ region, endpoint: sandbox.endpoint, credentials: CREDENTIALS, maxAttempts: 2 }),
  };
  const now = () => new Date(sandbox.clock.now());

  async function plans(): Promise<Plan[]> {
    const found: Plan[] = [];
    const lister = clients.s3(sandbox.region);
    let buckets: string[];
    try {
      buckets = ((await lister.send(new ListBucketsCommand({}))).Buckets ?? []).map((b) => b.Name!);
    } finally {
      lister.destroy();
    }
    for (const bucket of buckets) {
      const region = /^lifeboat-runs-(.+)$/.exec(bucket)?.[1];
      if (!region) continue;
      const s3 = clients.s3(region);
      try {
        const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'plans/' }));
        for (const object of listed.Contents ?? []) {
          const body = await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: object.Key! }))).Body!.transformToString();
          try {
            found.push(parsePlan(JSON.parse(body), `s3://${bucket}/${object.Key}`));
          } catch {
            // A plan kept by an older version that no longer parses is left out.
          }
        }
      } finally {
        s3.destroy();
      }
    }
    return found.sort((a, b) => a.name.localeCompare(b.name));
  }

  return async function render(rest: string): Promise<string | undefined> {
    const all = await plans();
    if (rest === '') return plansPage(all);
    const [kind, ...tail] = rest.split('/');
    const name = tail.join('/');
    if (kind === 'plan') {
      const plan = all.find((p) => p.name === name);
      return plan ? planPage(plan, clients, now()) : undefined;
    }
    if (kind === 'report') {
      const arn = name;
      const region = arn.split(':')[3];
      if (!region || !arn.startsWith('arn:aws:states:')) return undefined;
      const sfn = clients.sfn(region);
      try {
        const description = await sfn.send(new DescribeExecutionCommand({ executionArn: arn }));
        const planName = /^lifeboat-(.+)-(?:backup|failover|drill|failback|collect|publish-rpo)$/.exec(description.stateMachineArn!.split(':').pop()!)?.[1];
        // A distributed run's whole per-workload lists are read back from the sandbox's run bucket (cli/recovery-details.ts).
        const report = await reportOf(sfn, arn, all.find((p) => p.name === planName), { command: 'console', region }, now(), { localEndpoint: sandbox.endpoint });
        return renderReportHtml(report);
      } catch {
        return undefined;
      } finally {
        sfn.destroy();
      }
    }
    return undefined;
  };
}

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title><link rel="stylesheet" href="/console/console.css"></head>
<body><header><a class="brand" href="/">Sandbox console</a><nav><a href="/">State machines</a><a href="/console/pages/lifeboat">Lifeboat plans</a></nav></header><main>${body}</main></body></html>`;
}

function plansPage(plans: readonly Plan[]): string {
  const rows = plans
    .map(
      (p) => `<tr data-plan="${esc(p.name)}"><td><a href="/console/pages/lifeboat/plan/${encodeURIComponent(p.name)}">${esc(p.name)}</a></td><td>${esc(p.primaryRegion)} → ${esc(p.recoveryRegion)}</td><td>${p.workloads.length}</td><td>${p.objectives.rpoMinutes} min</td><td>${p.objectives.rtoMinutes} min</td></tr>`,
    )
    .join('');
  return page(
    'Lifeboat plans',
    `<h1>Lifeboat plans</h1>${
      plans.length
        ? `<table id="plans"><thead><tr><th>Plan</th><th>Regions</th><th>Workloads</th><th>RPO objective</th><th>RTO objective</th></tr></thead><tbody>${rows}</tbody></table>`
        : '<p class="muted">No plan deployed to this sandbox yet: any <code>lifeboat … --local</code> command deploys one.</p>'
    }`,
  );
}

interface Clients {
  s3(region: string): S3Client;
  sfn(region: string): SFNClient;
  ec2(region: string): EC2Client;
}

async function planPage(plan: Plan, clients: Clients, now: Date): Promise<string> {
  const ec2 = clients.ec2(plan.recoveryRegion);
  const rpoSeconds = plan.objectives.rpoMinutes * 60;
  let rpo;
  try {
    rpo = await measureRpo(ec2, plan.name, plan.workloads.map((w) => ({ name: w.name, isCritical: w.critical })), rpoSeconds, now);
  } finally {
    ec2.destroy();
  }
  const setOf = new Map<string, (typeof rpo.sets)[number]>();
  for (const set of rpo.sets) for (const w of set.workloads) setOf.set(w, set);

  const waves = [...new Set(plan.workloads.map((w) => w.wave))].sort((a, b) => a - b);
  const workloadRows = plan.workloads
    .map((w) => {
      const set = setOf.get(w.name);
      const verdict = set === undefined ? '<span class="badge failed">NONE</span>' : set.ageSeconds <= rpoSeconds ? '<span class="badge succeeded">met</span>' : '<span class="badge failed">MISSED</span>';
      return `<tr data-workload="${esc(w.name)}"><td>${esc(w.name)}</td><td>${w.wave}</td><td>${w.critical ? 'critical' : 'optional'}</td><td>${esc(w.instanceIds ? w.instanceIds.join(', ') : Object.entries(w.tagSelector ?? {}).map(([k, v]) => `${k}=${v}`).join(', '))}</td><td>${esc(w.launch.instanceTypes?.join(' → ') ?? 'launch template')}</td><td>${set ? esc(set.recoveryPointTime) : '—'}</td><td data-age="${set?.ageSeconds ?? ''}">${set ? formatDuration(set.ageSeconds) : '—'}</td><td>${verdict}</td></tr>`;
    })
    .join('');

  const runs: string[] = [];
  for (const [kind, region] of [['backup', plan.primaryRegion], ['failover', plan.recoveryRegion], ['drill', plan.recoveryRegion]] as const) {
    const sfn = clients.sfn(region);
    const arn = `arn:aws:states:${region}:123456789012:stateMachine:lifeboat-${plan.name}-${kind}`;
    let items: ExecutionListItem[] = [];
    try {
      items = (await sfn.send(new ListExecutionsCommand({ stateMachineArn: arn, maxResults: 10 }))).executions ?? [];
    } catch {
      items = [];
    } finally {
      sfn.destroy();
    }
    for (const e of items) {
      runs.push(
        `<tr data-run="${esc(e.name)}"><td>${kind}</td><td><a href="/#/ex/${encodeURIComponent(e.executionArn!)}">${esc(e.name)}</a></td><td><span class="badge ${esc(String(e.status).toLowerCase())}">${esc(e.status)}</span></td><td>${esc(e.startDate?.toISOString())}</td><td><a class="report" href="/console/pages/lifeboat/report/${encodeURIComponent(e.executionArn!)}">report</a></td></tr>`,
      );
    }
  }

  const worst = rpo.maxAgeSeconds;
  return page(
    `Plan ${plan.name}`,
    `<p class="crumbs"><a href="/console/pages/lifeboat">Lifeboat plans</a> › ${esc(plan.name)}</p>
<h1>${esc(plan.name)}</h1>
<p class="muted">${esc(plan.description ?? '')}</p>
<dl class="summary"><dt>Regions</dt><dd>${esc(plan.primaryRegion)} → ${esc(plan.recoveryRegion)}</dd>
<dt>Objectives</dt><dd>RPO ${plan.objectives.rpoMinutes} min · RTO ${plan.objectives.rtoMinutes} min</dd>
<dt>Waves</dt><dd>${waves.map((n) => `wave ${n}: ${plan.workloads.filter((w) => w.wave === n).map((w) => esc(w.name)).join(', ')}`).join(' · ')}</dd>
<dt>RPO now</dt><dd id="rpo-now">${worst === null ? '<span class="badge failed">no restorable recovery set for a critical workload</span>' : `${formatDuration(worst)} (${worst <= rpoSeconds ? 'within' : '<strong>beyond</strong>'} the ${plan.objectives.rpoMinutes}-minute objective)`}</dd>
<dt>Measured at</dt><dd>${esc(now.toISOString())} (sandbox clock)</dd></dl>
<h2>Workloads and their recovery points</h2>
<table id="workloads"><thead><tr><th>Workload</th><th>Wave</th><th>Kind</th><th>Instances</th><th>Type</th><th>Recovery point</th><th>Age</th><th>Against the RPO</th></tr></thead><tbody>${workloadRows}</tbody></table>
<h2>Recent runs</h2>
${runs.length ? `<table id="runs"><thead><tr><th>Kind</th><th>Execution</th><th>Status</th><th>Started</th><th>Report</th></tr></thead><tbody>${runs.join('')}</tbody></table>` : '<p class="muted">No runs yet.</p>'}`,
  );
}
