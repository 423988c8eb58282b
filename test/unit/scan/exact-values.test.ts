import { describe, expect, it } from 'vitest';
import { collectExactValues, expandExactValues, type Literal } from '../../../src/scan/exact-values.js';
import type { MatchRange } from '../../../src/scan/bounded-match.js';
// @ts-expect-error plain ESM fixture without types
import { seeded } from '../../fixtures/detection/compose.mjs';

// Values made of base64-alphabet characters are looked for inside base64 runs only
// (exact-values.ts): they must be found exactly where one indexOf over the whole text finds them.
function reference(text: string, literals: readonly Literal[]): MatchRange[] {
  const out: MatchRange[] = [];
  for (const { value, name } of literals) {
    for (let at = text.indexOf(value); at !== -1; at = text.indexOf(value, at + value.length)) out.push({ start: at, end: at + value.length, pattern: name });
  }
  return out;
}

const rand = seeded(20261206);
const pick = <T,>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
const values = ['injected-secret-value-123456', 'sk_live_abcdefghijklmnopqrstuv', 'pass word with spaces!', 'short-one', 'aaaaaaaaaaaaaaaaaaaaaaaa', 'p%40ss/w+rd=1234567890abcdef'];
const literals = expandExactValues(values);
const forms = literals.map((l) => l.value);
const glue = ['', ' ', '=', '==', '.', '_', '-', '/', '+', 'x', '\n', '%', 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'];
const texts = [
  ...forms,
  ...forms.map((f) => `${pick(glue)}${f}${pick(glue)}`),
  ...Array.from({ length: 200 }, () => Array.from({ length: 8 }, () => pick([...forms, ...glue, 'The gateway reads the policy.'])).join(pick(glue))),
  Buffer.from(`{"env": {"TOKEN": "${values[0]}", "PW": "${values[2]}"}}`).toString('base64'),
  'a'.repeat(100),
];

describe('collectExactValues', () => {
  it('marks the literals that can only sit inside a base64 run', () => {
    expect(literals.filter((l) => l.inRuns).map((l) => l.value)).toContain('injected-secret-value-123456');
    expect(literals.find((l) => l.value === 'pass word with spaces!')?.inRuns).toBe(false);
    expect(literals.find((l) => l.value === 'short-one')?.inRuns).toBe(false);
  });

  it('finds every occurrence one indexOf per value over the whole text finds, in the same order', () => {
    let found = 0;
    for (const text of texts) {
      const out: MatchRange[] = [];
      collectExactValues(text, literals, out);
      expect(out, text).toEqual(reference(text, literals));
      found += out.length;
    }
    expect(found).toBeGreaterThan(500);
  });
});
