import { describe, expect, it } from 'vitest';
import { IdTable } from '../../src/id-table.js';

describe('IdTable', () => {
  it('keeps ids 1 and "1" apart, as JSON-RPC does', () => {
    const t = new IdTable<string>();
    t.set(1, 'number');
    t.set('1', 'string');
    expect(t.get(1)).toBe('number');
    expect(t.get('1')).toBe('string');
    expect(t.size).toBe(2);
    expect(t.delete(1)).toBe(true);
    expect(t.has(1)).toBe(false);
    expect(t.get('1')).toBe('string');
  });

  it('counts each id once, however often it is set, and forgets what is deleted', () => {
    const t = new IdTable<number>();
    t.set('a', 1);
    t.set('a', 2);
    expect(t.size).toBe(1);
    expect(t.get('a')).toBe(2);
    expect(t.delete('a')).toBe(true);
    expect(t.delete('a')).toBe(false);
    expect(t.size).toBe(0);
    expect(t.get('a')).toBeUndefined();
  });

  it('takes any string as an id, prototype names included', () => {
    const t = new IdTable<string>();
    for (const id of ['__proto__', 'constructor', 'toString', 'hasOwnProperty', '']) t.set(id, id);
    expect(t.size).toBe(5);
    expect(t.get('__proto__')).toBe('__proto__');
    expect(t.has('valueOf')).toBe(false);
    expect(t.values().sort()).toEqual(['', '__proto__', 'constructor', 'hasOwnProperty', 'toString']);
    t.clear();
    expect(t.size).toBe(0);
    expect(t.values()).toEqual([]);
  });
});

describe('IdTable, numeric ids', () => {
  it('keeps index ids, other numbers and numeric strings apart', () => {
    const t = new IdTable<string>();
    const ids = [0, 1, 2 ** 32 - 2, 2 ** 32 - 1, 2 ** 53, -1, 1.5, -0.5, '0', '1', '-1', '1.5', '4294967294'];
    ids.forEach((id) => t.set(id, `${typeof id}:${String(id)}`));
    expect(t.size).toBe(ids.length);
    for (const id of ids) expect(t.get(id)).toBe(`${typeof id}:${String(id)}`);
    expect(t.values().sort()).toEqual(ids.map((id) => `${typeof id}:${String(id)}`).sort());
    for (const id of ids) expect(t.delete(id)).toBe(true);
    expect(t.size).toBe(0);
    for (const id of ids) expect(t.has(id)).toBe(false);
  });

  it('treats -0 as the id 0, as JSON does', () => {
    const t = new IdTable<string>();
    t.set(0, 'zero');
    expect(t.get(-0)).toBe('zero');
    expect(t.delete(-0)).toBe(true);
    expect(t.size).toBe(0);
  });
});
