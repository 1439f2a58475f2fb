import { describe, expect, test } from 'vitest';
import { QueryParams } from '../../../sandbox/ec2/query.js';
import { fingerprint, isSameCall } from '../../../sandbox/ec2/validate.js';

// https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-idempotency.html
describe('sandbox ec2: the fingerprint a ClientToken is remembered with', () => {
  const call = (extra: [string, string][] = []) =>
    new QueryParams([['Action', 'CopyImage'], ['SourceImageId', 'ami-0123456789abcdef0'], ['Name', 'web-copy'], ['ClientToken', 'tok'], ['Version', '2016-11-15'], ...extra]);

  test('is short whatever the size of the call, and ignores the token, DryRun, Version and the order of parameters', () => {
    const tags = Array.from({ length: 40 }, (_, i): [string, string][] => [[`TagSpecification.1.Tag.${i + 1}.Key`, `key-${i}`], [`TagSpecification.1.Tag.${i + 1}.Value`, 'v'.repeat(200)]]).flat();
    const print = fingerprint(call(tags));
    expect(print.length).toBeLessThanOrEqual(44);
    const reordered = new QueryParams([...call(tags).entries()].reverse().map(([k, v]): [string, string] => (k === 'ClientToken' ? [k, 'other'] : [k, v])).concat([['DryRun', 'true']]));
    expect(fingerprint(reordered)).toBe(print);
    expect(fingerprint(call([['Description', 'changed']]))).not.toBe(fingerprint(call()));
  });

  test('a token stored before the digest (the parameters as text, from a data directory) still matches the same call only', () => {
    const storedAsText = 'Action=CopyImage&Name=web-copy&SourceImageId=ami-0123456789abcdef0';
    expect(isSameCall(storedAsText, call())).toBe(true);
    expect(isSameCall(storedAsText, call([['Description', 'changed']]))).toBe(false);
    expect(isSameCall(fingerprint(call()), call())).toBe(true);
    expect(isSameCall(fingerprint(call()), call([['Encrypted', 'true']]))).toBe(false);
  });
});
