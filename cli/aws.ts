/**
 * Step Functions clients for the CLI, on AWS or on the local sandbox (`--local`), through the same
 * SDK calls; and the translation of SDK errors into messages an on-call engineer can act on.
 *
 * On AWS the client follows the SDK's own configuration (environment, `AWS_ENDPOINT_URL`, shared
 * config and credentials, `--profile`); lifeboat sets no endpoint of its own. With `--local` the
 * only difference is the sandbox's endpoint and dummy credentials.
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { SFNClient } from '@aws-sdk/client-sfn';
import { OperationError, UsageError } from './errors.js';

/** How to reach Step Functions, from the common flags. */
export interface ConnectionOptions {
  /** `--region`: overrides the plan's region and the SDK's default. */
  readonly region?: string;
  /** `--profile`: a profile of the shared config and credentials files. */
  readonly profile?: string;
  /** `--local`: use the sandbox instead of AWS. */
  readonly isLocal: boolean;
  /** `--data DIR`: the sandbox's data directory (with `--local`). */
  readonly dataDir?: string;
}

/**
 * The connection flags as typed (` --local --data DIR`, ` --region R --profile P`), for hints that
 * name another command: following a hint must reach the same place, never real AWS by accident.
 *
 * @example `run 'lifeboat list${connectionFlags(opts)} --plan ${file}'`
 */
export function connectionFlags(opts: Partial<ConnectionOptions>): string {
  const words: string[] = [];
  if (opts.isLocal === true) words.push('--local');
  if (opts.dataDir !== undefined) words.push('--data', quoteArg(opts.dataDir));
  if (opts.region !== undefined) words.push('--region', opts.region);
  if (opts.profile !== undefined) words.push('--profile', quoteArg(opts.profile));
  return words.length === 0 ? '' : ` ${words.join(' ')}`;
}

/** A shell word: as it is when safe, else single-quoted. */
export function quoteArg(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

/** What `cli/local/endpoint.ts` provides: a running sandbox's endpoint. */
export interface LocalEndpoint {
  /** The sandbox's base URL (`http://127.0.0.1:PORT`). */
  readonly endpoint: string;
  /** The region the sandbox suggests when none is given. */
  readonly region?: string;
  /** True when the sandbox runs in this process and stops with it. */
  readonly isInProcess?: boolean;
  /** The regions it serves when known without asking (an in-process sandbox); otherwise EC2 DescribeRegions tells. */
  readonly regions?: readonly string[];
  /** Releases it (stops an in-process sandbox). */
  close(): Promise<void>;
}

/** Signature of `resolveLocalEndpoint` in `cli/local/endpoint.ts`. */
export type ResolveLocalEndpoint = (options: { dataDir?: string }) => Promise<LocalEndpoint>;

/** Step Functions clients per region, sharing one connection setting. */
export interface SfnConnection {
  /** True when talking to the sandbox (`--local`). */
  readonly isLocal: boolean;
  /** True when that sandbox runs in this process: a run it starts stops when this process ends. */
  readonly isInProcess: boolean;
  /** With `--local`: the sandbox's URL, for clients of other services (`lifeboat preflight`). */
  readonly localEndpoint?: string;
  /** A client for `region` (the `--region` flag wins; undefined: the SDK's default region). */
  client(region?: string): SFNClient;
  /**
   * With `--local`: the sandbox's clock (virtual unless it runs in real time), so names made now
   * match the dates the sandbox records; undefined on AWS (the caller's clock is AWS's).
   */
  now(): Promise<Date | undefined>;
  /** With `--local`: the regions the sandbox serves (EC2 DescribeRegions), read once; undefined on AWS. */
  servedRegions(): Promise<readonly string[] | undefined>;
  /**
   * With `--local`, refuses regions the sandbox does not serve, before any call is made there.
   *
   * @throws UsageError naming the region and the ones the sandbox serves
   */
  checkServed(regions: readonly (string | undefined)[], command: string): Promise<void>;
  /** Releases the sandbox, if one was started. Safe to call twice. */
  close(): Promise<void>;
}

/**
 * The credentials handed to the sandbox: it checks none, but the SDK insists on signing. The key
 * id is shaped as AWS's are (letters and digits only), since the sandbox's STS reads it.
 */
export const LOCAL_CREDENTIALS = { accessKeyId: 'LIFEBOATLOCAL', secretAccessKey: 'lifeboat-local' } as const;

/**
 * The credentials for the sandbox: `LIFEBOAT_LOCAL_ACCESS_KEY_ID` when set (the sandbox's STS maps
 * access keys to principals, so two people can approve a local run as two principals), otherwise
 * the fixed `lifeboat-local` key. Never the AWS credentials of the environment.
 */
export function localCredentials(env: Readonly<Record<string, string | undefined>> = process.env): { accessKeyId: string; secretAccessKey: string } {
  const key = env.LIFEBOAT_LOCAL_ACCESS_KEY_ID;
  return key === undefined || key === '' ? { ...LOCAL_CREDENTIALS } : { accessKeyId: key, secretAccessKey: 'lifeboat-local' };
}

/**
 * Loads `resolveLocalEndpoint` from `cli/local/endpoint.ts` when it is there; otherwise a stand-in
 * that fails with "the sandbox is not available". The import is dynamic so the rest of the CLI
 * works (and type-checks) without the sandbox.
 */
export async function loadLocalEndpointResolver(): Promise<ResolveLocalEndpoint> {
  const specifier = './local/endpoint.js';
  try {
    const module = (await import(specifier)) as { resolveLocalEndpoint?: unknown };
    if (typeof module.resolveLocalEndpoint === 'function') return module.resolveLocalEndpoint as ResolveLocalEndpoint;
  } catch (error) {
    const code = (error as { code?: string }).code;
    const isMissing =
      (code === 'ERR_MODULE_NOT_FOUND' || /Cannot find module|Failed to load url|Does the file exist/i.test(String((error as Error).message))) &&
      /local\/endpoint/.test(String((error as Error).message));
    if (!isMissing) throw error;
  }
  return async () => {
    throw new UsageError('the sandbox is not available: cli/local/endpoint.ts is missing from this build', {
      hint: 'run against AWS (drop --local), or update lifeboat',
    });
  };
}

/** Factory options of {@link connectSfn}, for tests. */
export interface ConnectDependencies {
  /** Replaces the dynamic import of `cli/local/endpoint.ts`. */
  readonly resolveLocalEndpoint?: ResolveLocalEndpoint;
  /** The environment (`AWS_CONFIG_FILE`, `AWS_SHARED_CREDENTIALS_FILE`, `HOME`). @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** The profile names defined in an AWS config or credentials file (`[profile x]`, `[x]`); empty if it cannot be read. */
function profilesIn(file: string, isConfig: boolean): string[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  const names: string[] = [];
  for (const match of text.matchAll(/^\s*\[\s*([^\]]+?)\s*\]/gm)) {
    const header = match[1];
    if (!isConfig) names.push(header);
    else if (header === 'default') names.push('default');
    else if (header.startsWith('profile ')) names.push(header.slice('profile '.length).trim());
  }
  return names;
}

/**
 * Refuses a `--profile` that neither shared file defines, naming the profile and the files (the
 * SDK would only say it found no credentials).
 *
 * @see https://docs.aws.amazon.com/sdkref/latest/guide/file-location.html
 * @throws UsageError when the profile is in neither file
 */
export function checkProfile(profile: string, env: Readonly<Record<string, string | undefined>>): void {
  const home = env.HOME ?? env.USERPROFILE ?? homedir();
  const configFile = env.AWS_CONFIG_FILE ?? join(home, '.aws', 'config');
  const credentialsFile = env.AWS_SHARED_CREDENTIALS_FILE ?? join(home, '.aws', 'credentials');
  const known = [...new Set([...profilesIn(configFile, true), ...profilesIn(credentialsFile, false)])];
  if (known.includes(profile)) return;
  const show = (file: string): string => (file.startsWith(`${home}/`) ? `~/${file.slice(home.length + 1)}` : file);
  throw new UsageError(`profile '${profile}' not found in ${show(configFile)} or ${show(credentialsFile)}`, {
    hint:
      known.length > 0
        ? `the profiles there are ${known.join(', ')}; or create it with 'aws configure --profile ${profile}'`
        : `create it with 'aws configure --profile ${profile}', or drop --profile to use the environment's credentials`,
  });
}

/**
 * Opens Step Functions clients: on AWS with `{ region, profile }` and nothing else, so the SDK's own
 * configuration applies; with `--local`, at the sandbox's endpoint with dummy credentials.
 *
 * @throws UsageError when `--local` is asked for and the sandbox is not available
 */
export async function connectSfn(options: ConnectionOptions, dependencies: ConnectDependencies = {}): Promise<SfnConnection> {
  const clients = new Map<string, SFNClient>();
  if (!options.isLocal && options.profile !== undefined) checkProfile(options.profile, dependencies.env ?? process.env);
  let local: LocalEndpoint | undefined;
  if (options.isLocal) {
    const resolve = dependencies.resolveLocalEndpoint ?? (await loadLocalEndpointResolver());
    local = await resolve(options.dataDir === undefined ? {} : { dataDir: options.dataDir });
  }
  let isClosed = false;
  let served: Promise<readonly string[] | undefined> | undefined;
  const servedRegions = (): Promise<readonly string[] | undefined> => {
    if (local === undefined) return Promise.resolve(undefined);
    const sandbox = local;
    if (sandbox.regions !== undefined) return Promise.resolve(sandbox.regions);
    served ??= (async () => {
      // Loaded here, not at the top: the EC2 client is the largest SDK module, and most commands never ask (issue 8, "Fast to start").
      const { DescribeRegionsCommand, EC2Client } = await import('@aws-sdk/client-ec2');
      const ec2 = new EC2Client({ region: sandbox.region ?? 'us-east-1', endpoint: sandbox.endpoint, credentials: LOCAL_CREDENTIALS, maxAttempts: 1 });
      try {
        const out = await ec2.send(new DescribeRegionsCommand({}));
        return (out.Regions ?? []).map((r) => r.RegionName ?? '').filter((name) => name !== '');
      } catch {
        return undefined; // a sandbox without EC2: let the calls themselves say what is wrong
      } finally {
        ec2.destroy();
      }
    })();
    return served;
  };
  return {
    isLocal: local !== undefined,
    isInProcess: local?.isInProcess === true,
    ...(local !== undefined ? { localEndpoint: local.endpoint } : {}),
    async now(): Promise<Date | undefined> {
      if (local === undefined) return undefined;
      try {
        const res = await fetch(`${local.endpoint}/_sandbox/clock`, { method: 'POST', body: '{}', signal: AbortSignal.timeout(5_000) });
        const clock = (await res.json()) as { nowMs?: unknown };
        return res.ok && typeof clock.nowMs === 'number' ? new Date(clock.nowMs) : undefined;
      } catch {
        return undefined;
      }
    },
    servedRegions,
    async checkServed(regions: readonly (string | undefined)[], command: string): Promise<void> {
      const known = await servedRegions();
      if (known === undefined) return;
      for (const region of new Set(regions.map((r) => options.region ?? r))) {
        if (region === undefined || known.includes(region)) continue;
        throw new UsageError(`${command}: the local sandbox does not serve ${region} (it serves ${known.join(', ')})`, {
          hint: `${region} is a valid AWS region: run this plan against AWS (drop --local), or try it locally with a copy of the plan whose regions the sandbox serves`,
        });
      }
    },
    client(region?: string): SFNClient {
      const chosen = options.region ?? region ?? local?.region;
      const key = chosen ?? '';
      let client = clients.get(key);
      if (client === undefined) {
        client =
          local === undefined
            ? new SFNClient({
                ...(chosen === undefined ? {} : { region: chosen }),
                ...(options.profile === undefined ? {} : { profile: options.profile }),
              })
            : new SFNClient({ region: chosen ?? 'us-east-1', endpoint: local.endpoint, credentials: localCredentials(dependencies.env ?? process.env) });
        clients.set(key, client);
      }
      return client;
    },
    async close(): Promise<void> {
      if (isClosed) return;
      isClosed = true;
      for (const client of clients.values()) client.destroy();
      await local?.close();
    },
  };
}

/**
 * The region a client will call (its resolved configuration), for messages.
 *
 * @throws UsageError when no region is configured anywhere
 */
export async function regionOf(client: SFNClient): Promise<string> {
  try {
    return await client.config.region();
  } catch (error) {
    throw noRegion(error);
  }
}

function noRegion(cause: unknown): UsageError {
  return new UsageError('no AWS region: none was given and none is configured', {
    hint: "pass --region (or --plan FILE), or set AWS_REGION / 'region' in your AWS config profile",
    cause,
  });
}

/** Where an AWS call was made, for messages. */
export interface CallSite {
  /** The command as typed (`lifeboat backup`). */
  readonly command: string;
  /** The API operation (`StartExecution`). */
  readonly operation: string;
  /** The region called, if known. */
  readonly region?: string;
}

/**
 * Turns an error thrown by an SDK call into a CLI error: a missing region into a usage error, AWS
 * refusals, missing credentials and network failures into an {@link OperationError} (exit 1) that
 * names the call, the region and the AWS error. Anything else is returned as it is (a bug).
 */
export function describeAwsError(error: unknown, site: CallSite): unknown {
  if (error instanceof UsageError || error instanceof OperationError) return error;
  const e = error as { name?: string; message?: string; code?: string; $metadata?: unknown; $fault?: string };
  const name = e?.name ?? 'Error';
  const message = e?.message ?? String(error);
  const where = `${site.command}: ${site.operation}${site.region === undefined ? '' : ` in ${site.region}`}`;
  if (/Region is missing/i.test(message)) return noRegion(error);
  if (name === 'CredentialsProviderError' || /Could not load credentials/i.test(message)) {
    return new OperationError(`${where} failed: no AWS credentials (${message})`, {
      hint: 'configure credentials (aws configure / AWS_PROFILE / --profile PROFILE), or use --local for the sandbox',
      cause: error,
    });
  }
  if (e?.$metadata !== undefined || e?.$fault !== undefined) {
    const hint =
      name === 'AccessDeniedException' || name === 'UnrecognizedClientException' || name === 'ExpiredTokenException'
        ? 'check the credentials and the IAM permissions of the profile in use (--profile)'
        : name === 'ThrottlingException'
          ? 'Step Functions is throttling this account; try again in a minute'
          : undefined;
    return new OperationError(`${where} failed: ${name}: ${message}`, { ...(hint === undefined ? {} : { hint }), cause: error });
  }
  const code = e?.code ?? '';
  if (/^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH)$/.test(code) || name === 'TimeoutError') {
    return new OperationError(`${where} failed: cannot reach the Step Functions endpoint (${code || name}: ${message})`, {
      hint: 'check the network, AWS_ENDPOINT_URL and --region; with --local, check the sandbox is running',
      cause: error,
    });
  }
  return error;
}

/**
 * Runs one SDK call and rewrites its errors with {@link describeAwsError}.
 *
 * @example const out = await call({ command: 'lifeboat list', operation: 'ListExecutions', region }, () => sfn.send(cmd));
 */
export async function call<T>(site: CallSite, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw describeAwsError(error, site);
  }
}
