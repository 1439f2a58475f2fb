/**
 * Which records a Describe call starts from (sandbox/ec2/filters.ts `describedRecords`): the ids
 * it names, or an exact id filter's values, read by key; anything else scans the region. The
 * answer must equal the scan's (EC2 treats `image-id` values as a set, wildcards allowed:
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeImages.html).
 */
import { describe, expect, test } from 'vitest';
import { applyFilters, describedRecords } from '../../../sandbox/ec2/filters.js';

const records = new Map(['ami-1', 'ami-2', 'ami-3', 'ami-10'].map((id) => [id, { id }]));
const getters = { 'image-id': (r: { id: string }) => r.id };
const ids = (rs: readonly { id: string }[]) => rs.map((r) => r.id).sort();

describe('sandbox ec2: the records a Describe call starts from', () => {
  test('explicit ids: those records, each once, unknown ones left out', () => {
    expect(ids(describedRecords(records, ['ami-2', 'ami-1', 'ami-2', 'ami-9'], [], 'image-id'))).toEqual(['ami-1', 'ami-2']);
  });

  test('an exact id filter: only the records it names, and the same answer as filtering every record', () => {
    const filters = [{ name: 'image-id', values: ['ami-3', 'ami-10', 'ami-7'] }];
    const start = describedRecords(records, [], filters, 'image-id');
    expect(ids(start)).toEqual(['ami-10', 'ami-3']);
    expect(ids(applyFilters(start, filters, getters))).toEqual(ids(applyFilters([...records.values()], filters, getters)));
  });

  test('a wildcard in the id filter, or no id filter, starts from every record (the other filters then decide)', () => {
    expect(describedRecords(records, [], [{ name: 'image-id', values: ['ami-1*'] }], 'image-id')).toHaveLength(4);
    expect(describedRecords(records, [], [{ name: 'state', values: ['pending'] }], 'image-id')).toHaveLength(4);
    const wild = [{ name: 'image-id', values: ['ami-1?'] }];
    expect(ids(applyFilters(describedRecords(records, [], wild, 'image-id'), wild, getters))).toEqual(['ami-10']);
  });
});
