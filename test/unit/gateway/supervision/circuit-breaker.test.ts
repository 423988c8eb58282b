import { describe, expect, it } from 'vitest';
import { CircuitBreaker, type CircuitState } from '../../../../src/gateway/supervision/circuit-breaker.js';

function breaker(threshold = 3, cooldownMs = 1000, halfOpenMaxCalls?: number) {
  let now = 0;
  const changes: [CircuitState, CircuitState][] = [];
  const options = { failureThreshold: threshold, cooldownMs, ...(halfOpenMaxCalls ? { halfOpenMaxCalls } : {}) };
  const b = new CircuitBreaker(() => options, (f, t) => void changes.push([f, t]), () => now);
  return { b, changes, advance: (ms: number) => (now += ms) };
}

describe('CircuitBreaker', () => {
  it('opens after the configured consecutive failures and fails fast while open', () => {
    const { b, changes } = breaker(3);
    for (let i = 0; i < 2; i += 1) {
      expect(b.tryAcquire()).toBe(true);
      b.recordFailure();
    }
    expect(b.current).toBe('closed');
    b.tryAcquire();
    b.recordFailure();
    expect(b.current).toBe('open');
    expect(b.tryAcquire()).toBe(false);
    expect(changes).toEqual([['closed', 'open']]);
  });

  it('a success resets the consecutive count', () => {
    const { b } = breaker(2);
    b.recordFailure();
    b.recordSuccess();
    b.recordFailure();
    expect(b.current).toBe('closed');
  });

  it('admits exactly one probe when half-open, closes on its success', () => {
    const { b, advance, changes } = breaker(1, 1000);
    b.recordFailure();
    advance(1000);
    expect(b.current).toBe('half-open');
    expect(b.tryAcquire()).toBe(true);
    expect(b.tryAcquire()).toBe(false);
    b.recordSuccess();
    expect(b.current).toBe('closed');
    expect(changes).toEqual([['closed', 'open'], ['open', 'half-open'], ['half-open', 'closed']]);
  });

  it('re-opens when the half-open probe fails, and a released probe frees the slot', () => {
    const { b, advance } = breaker(1, 1000);
    b.recordFailure();
    advance(1000);
    expect(b.tryAcquire()).toBe(true);
    b.release();
    expect(b.tryAcquire()).toBe(true);
    b.recordFailure();
    expect(b.current).toBe('open');
  });

  it('admits half_open_max_calls probes at once when configured', () => {
    const { b, advance } = breaker(1, 1000, 2);
    b.recordFailure();
    advance(1000);
    expect([b.tryAcquire(), b.tryAcquire(), b.tryAcquire()]).toEqual([true, true, false]);
  });
});
