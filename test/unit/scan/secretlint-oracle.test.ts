import { describe, expect, it } from 'vitest';
import { lintSource } from '@secretlint/core';
import { creator as recommended } from '@secretlint/secretlint-rule-preset-recommend';
import { createRedactor } from '../../../src/scan/redactor.js';
// @ts-expect-error plain ESM fixture without types
import { lookalikes, secretCases } from '../../fixtures/corpus/secrets.mjs';
// @ts-expect-error plain ESM fixture without types
import { PROVIDERS } from '../../fixtures/corpus/providers.mjs';

interface SecretCase { kind: string; context: string; text: string }

// secretlint's recommended preset is an independent oracle (issue 12): every secret it finds in our
// corpus, we must redact too. It is not the reverse: we also redact forms it does not know.
const config = { rules: [{ id: '@secretlint/secretlint-rule-preset-recommend', rule: recommended }] };
const redactor = createRedactor();

async function oracle(text: string): Promise<string[]> {
  const result = await lintSource({ source: { filePath: '/corpus.txt', content: text, contentType: 'text' }, options: { config } });
  return result.messages.map((m) => text.slice(m.range[0], m.range[1]));
}

describe('secretlint as an oracle over the secret corpus', () => {
  it('finds secrets in the corpus, and we redact every one it finds', async () => {
    let found = 0;
    const kept: string[] = [];
    for (const c of secretCases() as SecretCase[]) {
      const out = redactor.redactString(c.text).value;
      for (const secret of await oracle(c.text)) {
        found++;
        if (out.includes(secret)) kept.push(`${c.kind} in ${c.context}`);
      }
    }
    expect(found).toBeGreaterThanOrEqual(50);
    expect(kept).toEqual([]);
  });

  it('we redact every secret it finds among the provider samples too', async () => {
    // Most of these providers are beyond its preset (it knows SendGrid, Shopify and Linear here).
    let found = 0;
    const kept: string[] = [];
    for (const [provider, secret, carry] of PROVIDERS as [string, string, (s: string) => string][]) {
      const text = carry(secret);
      const out = redactor.redactString(text).value;
      for (const value of await oracle(text)) {
        found++;
        if (out.includes(value)) kept.push(`${provider}: ${value}`);
      }
    }
    expect(found).toBeGreaterThanOrEqual(3);
    expect(kept).toEqual([]);
  });

  it('agrees that the look-alikes hold no secret', async () => {
    const flagged: string[] = [];
    for (const text of lookalikes() as string[]) if ((await oracle(text)).length > 0) flagged.push(text);
    expect(flagged).toEqual([]);
  });
});
