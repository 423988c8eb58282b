import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { digestArgs } from '../../../src/audit/record.js';

/** The digest's definition (rea 0.5 records): sha256 of JSON.stringify with every object's keys sorted. */
function reference(args: unknown): string {
  const sortKeys = (value: unknown): unknown => {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) sorted[key] = (value as Record<string, unknown>)[key];
    return sorted;
  };
  return createHash('sha256').update(JSON.stringify(args, (_key, value: unknown) => sortKeys(value)) ?? 'undefined').digest('hex');
}

describe('digestArgs', () => {
  it('gives the digest of the sorted-key JSON for any JSON value, whatever its key order', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(digestArgs(value)).toBe(reference(value));
      }),
      { numRuns: 500 },
    );
  });

  it('gives the same digest for values that are not plain JSON (integer-like keys, undefined, toJSON, -0, holes), and for sorted and unsorted objects at any depth', () => {
    const odd = [
      { b: 1, 10: 'x', 9: 'y', a: [1, undefined, 2] },
      { when: new Date(0), gone: undefined, n: -0, big: 1e21, nan: Number.NaN },
      [{ z: { y: { x: 'é\u2028"\\' } } }],
      undefined,
      'text',
      // A hole is not plain JSON.
      [1, , 2],
      Object.assign(Object.create(null) as object, { b: { d: 1, c: 2 }, a: [{ z: 1, y: 2 }, 'kept', { in: 'order' }] }),
      { sorted: { a: 1, b: [{ c: 1 }] }, also: true },
      { deep: JSON.parse('['.repeat(70) + '{"b":1,"a":2}' + ']'.repeat(70)) as unknown },
    ];
    for (const value of odd) expect(digestArgs(value)).toBe(reference(value));
  });

  it('sorts keys by UTF-16 code unit, in short objects and long ones alike', () => {
    const keys = ['b', 'B', 'a', 'é', 'Z', 'aa', '_', 'a b', '\u{1F600}', 'ﬀ', ''];
    const short = Object.fromEntries(keys.map((k, i) => [k, i]));
    const long = Object.fromEntries([...keys, ...Array.from({ length: 20 }, (_, i) => `k${20 - i}`)].map((k, i) => [k, i]));
    expect(digestArgs(short)).toBe(reference(short));
    expect(digestArgs(long)).toBe(reference(long));
    fc.assert(
      fc.property(fc.dictionary(fc.string({ unit: 'binary' }), fc.integer(), { maxKeys: 40 }), (value) => {
        expect(digestArgs(value)).toBe(reference(value));
      }),
      { numRuns: 300 },
    );
  });

  it('does not depend on key order', () => {
    expect(digestArgs({ path: 'a', content: { y: 1, x: 2 } })).toBe(digestArgs({ content: { x: 2, y: 1 }, path: 'a' }));
  });
});
