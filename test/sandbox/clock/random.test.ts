import { describe, expect, test } from 'vitest';
import { SeededRandom } from '../../../sandbox/random.js';

describe('sandbox: seeded ids', () => {
  test('a UUID is the next 32 hex digits with the version (4) and variant (8-b) digits set, so seeded ids stay as they were', () => {
    const ids = new SeededRandom('ids');
    const digits = new SeededRandom('ids');
    for (let i = 0; i < 500; i++) {
      const h = digits.hex(32).split('');
      h[12] = '4';
      h[16] = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
      const s = h.join('');
      const uuid = ids.uuid();
      expect(uuid).toBe(`${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`);
      expect(uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
    expect(new SeededRandom(1).uuid()).toBe(new SeededRandom(1).uuid());
  });
});
