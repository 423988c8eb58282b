import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DeadlineSweep, type Watched } from '../../src/deadline-sweep.js';

interface Item extends Watched {
  readonly name: string;
  deadline: number;
}

const item = (name: string, inMs: number): Item => ({ name, deadline: Date.now() + inMs, sweepSlot: undefined });

describe('DeadlineSweep', () => {
  beforeEach(() => vi.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => vi.useRealTimers());

  it('hands each item to `due` once its deadline passes, and never one that was forgotten', () => {
    const fired: string[] = [];
    const sweep = new DeadlineSweep<Item>((i) => fired.push(i.name));
    const a = item('a', 100);
    const b = item('b', 200);
    const c = item('c', 300);
    for (const i of [a, b, c]) sweep.watch(i);
    sweep.forget(b);
    vi.advanceTimersByTime(150);
    expect(fired).toEqual(['a']);
    vi.advanceTimersByTime(200);
    expect(fired).toEqual(['a', 'c']);
  });

  it('reuses the slots of settled items, and watching an item twice keeps one entry', () => {
    const fired: string[] = [];
    const sweep = new DeadlineSweep<Item>((i) => fired.push(i.name));
    const first = item('first', 100);
    sweep.watch(first);
    const slot = first.sweepSlot;
    sweep.forget(first);
    expect(first.sweepSlot).toBeUndefined();
    const second = item('second', 100);
    sweep.watch(second);
    expect(second.sweepSlot).toBe(slot);
    sweep.watch(second);
    sweep.forget(first); // already gone: a no-op, and must not free the slot second now holds
    vi.advanceTimersByTime(150);
    expect(fired).toEqual(['second']);
  });

  it('re-checks an item whose deadline moved later instead of firing it early', () => {
    const fired: string[] = [];
    const sweep = new DeadlineSweep<Item>((i) => fired.push(i.name));
    const a = item('a', 100);
    sweep.watch(a);
    a.deadline = Date.now() + 500;
    sweep.watch(a);
    vi.advanceTimersByTime(150);
    expect(fired).toEqual([]);
    vi.advanceTimersByTime(400);
    expect(fired).toEqual(['a']);
  });

  it('fires an item watched by a `due` handler on time, even when it is due before the next one left', () => {
    const fired: string[] = [];
    const late = item('late', 1000);
    const soon: Item[] = [];
    const sweep = new DeadlineSweep<Item>((i) => {
      fired.push(i.name);
      if (i.name === 'first') {
        const s = item('soon', 50);
        soon.push(s);
        sweep.watch(s);
      }
    });
    sweep.watch(item('first', 100));
    sweep.watch(late);
    vi.advanceTimersByTime(100);
    expect(fired).toEqual(['first']);
    vi.advanceTimersByTime(60);
    expect(fired).toEqual(['first', 'soon']);
    vi.advanceTimersByTime(1000);
    expect(fired).toEqual(['first', 'soon', 'late']);
  });
});
