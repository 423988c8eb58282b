import { isValidSpanId, isValidTraceId } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { PooledIdGenerator } from '../../../src/observability/telemetry/id-generator.js';

describe('span and trace ids (issue 13)', () => {
  it('are valid W3C ids, and none repeats across many pool refills', () => {
    const ids = new PooledIdGenerator();
    const seen = new Set<string>();
    for (let i = 0; i < 5000; i += 1) {
      const trace = ids.generateTraceId();
      const span = ids.generateSpanId();
      expect(isValidTraceId(trace), trace).toBe(true);
      expect(isValidSpanId(span), span).toBe(true);
      seen.add(trace).add(span);
    }
    expect(seen.size).toBe(10_000);
  });

  it('never hands out an all-zero id, even when the random source yields zeros', () => {
    let calls = 0;
    // First pool all zeros, then a recognisable pattern.
    const ids = new PooledIdGenerator((buffer) => buffer.fill(calls++ === 0 ? 0 : 0xab));
    expect(ids.generateSpanId()).toBe('ab'.repeat(8));
    expect(ids.generateTraceId()).toBe('ab'.repeat(16));
  });
});
