import { describe, expect, it } from 'vitest';
import { normalizeForScan } from '../../../src/scan/normalize.js';

// ASCII text skips normalisation (normalize.ts, by UTF-8 length): any other character, even one in
// the one-byte range (a soft hyphen, U+00AD) or a lone surrogate, must still be normalised.
describe('normalizeForScan', () => {
  it('returns ASCII text as it is, control characters included', () => {
    const text = 'plain ASCII \u0000\u0007\u007f text';
    expect(normalizeForScan(text)).toEqual({ text, zeroWidth: 0, bidi: 0, tags: 0, mixedScriptWords: 0 });
  });

  it.each([
    ['a soft hyphen (U+00AD, one byte in V8)', 'ig\u00adnore', 'ignore', 1],
    ['a zero-width space', 'ig\u200bnore', 'ignore', 1],
    ['a fullwidth letter', 'ｉgnore', 'ignore', 0],
    ['a non-breaking space', 'a\u00a0b', 'a b', 0],
  ])('normalises text holding %s wherever it sits', (_label, word, normalised, zeroWidth) => {
    for (const [before, after] of [['', ''], ['x '.repeat(50), ''], ['', ' y'.repeat(50)]]) {
      const n = normalizeForScan(before + word + after);
      expect(n.text).toBe(before + normalised + after);
      expect(n.zeroWidth).toBe(zeroWidth);
    }
  });

  it('normalises text holding a lone surrogate', () => {
    expect(normalizeForScan('a\ud800b\u200b').zeroWidth).toBe(1);
  });
});
