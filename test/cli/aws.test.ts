import { describe, expect, onTestFinished, test } from 'vitest';
import { checkProfile, connectSfn } from '../../cli/aws.js';
import { UsageError } from '../../cli/errors.js';
import { runCli, tempFiles } from './cli-harness.js';

describe('cli: connectSfn', () => {
  test('on AWS, passes only region and profile, so the SDK configuration (environment, AWS_ENDPOINT_URL, shared config) applies', async () => {
    const saved = { all: process.env.AWS_ENDPOINT_URL, sfn: process.env.AWS_ENDPOINT_URL_SFN };
    delete process.env.AWS_ENDPOINT_URL;
    delete process.env.AWS_ENDPOINT_URL_SFN;
    onTestFinished(() => {
      if (saved.all !== undefined) process.env.AWS_ENDPOINT_URL = saved.all;
      if (saved.sfn !== undefined) process.env.AWS_ENDPOINT_URL_SFN = saved.sfn;
    });
    const files = tempFiles({ config: '[default]\nregion = us-east-1\n\n[profile dr]\nregion = us-west-2\n' });
    const connection = await connectSfn({ isLocal: false, region: 'eu-west-1', profile: 'dr' }, { env: { AWS_CONFIG_FILE: files.config, AWS_SHARED_CREDENTIALS_FILE: '/nonexistent' } });
    const client = connection.client('us-west-2');

    expect(await client.config.region()).toBe('eu-west-1'); // --region wins over the plan's region
    expect((client.config as { profile?: string }).profile).toBe('dr');
    expect(client.config.isCustomEndpoint).toBe(false);
    expect(connection.client('us-west-2')).toBe(client);
    await connection.close();
  });

  test('with --local, talks to the sandbox endpoint with dummy credentials and closes it', async () => {
    // GIVEN a sandbox resolver that records what it was asked and whether it was closed
    const asked: unknown[] = [];
    let closed = 0;
    const connection = await connectSfn(
      { isLocal: true, dataDir: '/tmp/lifeboat-data' },
      {
        resolveLocalEndpoint: async (options) => {
          asked.push(options);
          return { endpoint: 'http://127.0.0.1:45678', region: 'us-east-1', close: async () => void (closed += 1) };
        },
      },
    );

    // WHEN
    const client = connection.client('us-west-2');
    await connection.close();
    await connection.close();

    // THEN
    expect(asked).toEqual([{ dataDir: '/tmp/lifeboat-data' }]);
    expect(await client.config.region()).toBe('us-west-2');
    const endpoint = await client.config.endpoint?.();
    expect(`${endpoint?.protocol}//${endpoint?.hostname}:${endpoint?.port}`).toBe('http://127.0.0.1:45678');
    expect(await client.config.credentials()).toMatchObject({ accessKeyId: 'LIFEBOATLOCAL', secretAccessKey: 'lifeboat-local' });
    expect(closed).toBe(1);
  });

  test('with --local and no region anywhere, uses the sandbox region', async () => {
    const connection = await connectSfn({ isLocal: true }, { resolveLocalEndpoint: async () => ({ endpoint: 'http://127.0.0.1:1', region: 'ap-south-1', close: async () => {} }) });
    expect(await connection.client().config.region()).toBe('ap-south-1');
    await connection.close();
  });
});

describe('cli: --profile', () => {
  test('a profile in neither shared file is refused by name, with the files and the profiles there', async () => {
    const files = tempFiles({ config: '[default]\nregion = us-east-1\n[profile prod]\nregion = us-west-2\n', credentials: '[ci]\naws_access_key_id = x\n' });
    const env = { HOME: '/home/ops', AWS_CONFIG_FILE: files.config, AWS_SHARED_CREDENTIALS_FILE: files.credentials };

    expect(() => checkProfile('prod', env)).not.toThrow();
    expect(() => checkProfile('ci', env)).not.toThrow(); // credentials file: [name] without "profile"
    expect(() => checkProfile('nosuch', env)).toThrow(UsageError);
    expect(() => checkProfile('nosuch', env)).toThrow(`profile 'nosuch' not found in ${files.config} or ${files.credentials}`);
    try {
      checkProfile('nosuch', env);
    } catch (error) {
      expect((error as UsageError).hint).toContain('default, prod, ci');
    }
  });

  test("'lifeboat list --profile nosuch' names the profile (exit 2), rather than 'no AWS credentials'", async () => {
    const saved = { config: process.env.AWS_CONFIG_FILE, credentials: process.env.AWS_SHARED_CREDENTIALS_FILE };
    const files = tempFiles({ config: '[default]\n', 'plan.json': { name: 'x' } });
    process.env.AWS_CONFIG_FILE = files.config;
    process.env.AWS_SHARED_CREDENTIALS_FILE = '/nonexistent/credentials';
    onTestFinished(() => {
      for (const [key, value] of [['AWS_CONFIG_FILE', saved.config], ['AWS_SHARED_CREDENTIALS_FILE', saved.credentials]] as const) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    });
    const run = await runCli(['list', '--state-machine', 'arn:aws:states:us-west-2:123456789012:stateMachine:lifeboat-shop-drill', '--profile', 'nosuch']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`error: profile 'nosuch' not found in ${files.config} or /nonexistent/credentials`);
    expect(run.stderr).not.toContain('credentials (');
  });
});
