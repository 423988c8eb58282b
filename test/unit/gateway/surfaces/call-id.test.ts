import { describe, expect, it } from 'vitest';
import { newCallId } from '../../../../src/gateway/surfaces/call-id.js';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('newCallId', () => {
  it('makes version 4 UUIDs, as crypto.randomUUID does, and never the same one twice across pool refills', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 5000; i += 1) {
      const id = newCallId();
      expect(id).toMatch(UUID_V4);
      seen.add(id);
    }
    expect(seen.size).toBe(5000);
  });

  it('returns a string of its own each time (the scratch bytes it is written from are reused)', () => {
    const first = newCallId();
    const copy = `${first}`;
    newCallId();
    expect(first).toBe(copy);
  });
});
