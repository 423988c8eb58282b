import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/sha256.js';

describe('sha256Hex', () => {
  // The audit chain's hashes are frozen (rea 0.4 verifies them): one-shot hashing must give the same hex.
  const texts = ['', 'abc', 'héllo ✓ 𝄞', '\ud800 lone surrogate', 'x'.repeat(100_000)];
  it.each(texts.map((text) => [text.slice(0, 24), text]))('hashes %j as createHash does', (_title, text) => {
    expect(sha256Hex(text)).toBe(createHash('sha256').update(text).digest('hex'));
    expect(sha256Hex(Buffer.from(text, 'utf8'))).toBe(createHash('sha256').update(Buffer.from(text, 'utf8')).digest('hex'));
  });
});
