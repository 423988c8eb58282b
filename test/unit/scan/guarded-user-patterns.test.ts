import { describe, expect, it } from 'vitest';
import { createRedactor } from '../../../src/scan/redactor.js';
import { compileUserPatterns } from '../../../src/scan/user-patterns.js';

describe('operator patterns run under a hard time limit', () => {
  // safe-regex accepts this pattern (star height 1), yet its overlapping alternation backtracks
  // exponentially on a run of `a` without a `b` (THREAT_MODEL.md T18): unguarded, 28 characters
  // take about 25 s here, 40 would take days.
  const exponential = compileUserPatterns([{ name: 'evil', regex: '(a|a)*b' }]);
  const internal = compileUserPatterns([{ name: 'internal-token', regex: 'itk_[A-Za-z0-9]{8}' }]);

  it('replaces the value with the timeout sentinel instead of stalling, then keeps working', () => {
    const redactor = createRedactor({ userPatterns: [...exponential, ...internal], matchTimeoutMs: 100 });
    const stalled = redactor.redactString('a'.repeat(40));
    expect(stalled).toMatchObject({ value: '[REDACTED: pattern timeout]', timedOutPattern: 'evil' });
    // The stuck worker was replaced: the next value is scanned normally.
    const next = redactor.redactString('token itk_ABCdef12 and ab');
    expect(next.value).not.toContain('itk_ABCdef12');
    expect(next.patterns).toEqual(expect.arrayContaining(['internal-token']));
  });

  it('redacts operator matches exactly like built-in ones', () => {
    const redactor = createRedactor({ userPatterns: internal, matchTimeoutMs: 100 });
    const out = redactor.redactValue({ a: ['see itk_12345678 here'], b: 'nothing' }, 'result');
    expect(out.value).toEqual({ a: ['see [REDACTED:internal-token] here'], b: 'nothing' });
    expect(out.redactions).toEqual([{ path: 'result.a.0', pattern: 'internal-token' }]);
  });
});
