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
