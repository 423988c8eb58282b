import { describe, expect, it } from 'vitest';
import { abortSignalOf, cancellationOf, RequestCancellation } from '../../../../src/gateway/transport/cancellation.js';

describe('RequestCancellation', () => {
  it('calls each listener once on abort, with the reason set, and never one removed or added after', () => {
    const c = new RequestCancellation();
    const heard: unknown[] = [];
    const first = (): void => void heard.push(['first', c.aborted, c.reason]);
    const removed = (): void => void heard.push('removed');
    c.addEventListener('abort', first);
    c.addEventListener('abort', first);
    c.addEventListener('abort', removed);
    c.removeEventListener('abort', removed);
    c.abort('stop');
    c.abort('again');
    c.addEventListener('abort', () => heard.push('late'));
    expect(heard).toEqual([['first', true, 'stop']]);
    expect(c.reason).toBe('stop');
  });

  it('gives the AbortError an AbortController would when aborted without a reason', () => {
    const c = new RequestCancellation();
    c.abort();
    const controller = new AbortController();
    controller.abort();
    expect(c.reason).toBeInstanceOf(DOMException);
    expect((c.reason as DOMException).name).toBe((controller.signal.reason as DOMException).name);
    expect((c.reason as DOMException).message).toBe((controller.signal.reason as DOMException).message);
  });

  it('makes an AbortSignal on demand that follows it, whether asked for before or after the abort', () => {
    const before = new RequestCancellation();
    const signal = abortSignalOf(before);
    expect(signal).toBeInstanceOf(AbortSignal);
    expect(abortSignalOf(before)).toBe(signal);
    let heard = 0;
    signal.addEventListener('abort', () => (heard += 1));
    before.abort('stop');
    expect([signal.aborted, signal.reason, heard]).toEqual([true, 'stop', 1]);

    const after = new RequestCancellation();
    after.abort('late');
    expect([after.signal.aborted, after.signal.reason]).toEqual([true, 'late']);
  });

  it('passes an AbortSignal through, and prefers the cheap cancellation a handler was given', () => {
    const signal = new AbortController().signal;
    expect(abortSignalOf(signal)).toBe(signal);
    expect(cancellationOf({ signal })).toBe(signal);
    const cancellation = new RequestCancellation();
    expect(cancellationOf({ signal, cancellation })).toBe(cancellation);
  });
});
