import { describe, expect, it } from 'vitest';
import { createRedactor } from '../../../src/scan/redactor.js';
// @ts-expect-error plain ESM fixture without types
import { lookalikes, secretCases } from '../../fixtures/corpus/secrets.mjs';

interface SecretCase { kind: string; context: string; secret: string; mustVanish: string[]; text: string }
const cases = secretCases() as SecretCase[];
const benign = lookalikes() as string[];
const redactor = createRedactor();

describe('redaction corpus', () => {
  it('holds at least 150 secrets and 150 look-alikes', () => {
    expect(cases.length).toBeGreaterThanOrEqual(150);
    expect(benign.length).toBeGreaterThanOrEqual(150);
  });

  it.each(cases.map((c) => [`${c.kind} in ${c.context}`, c] as const))('redacts %s', (_label, c) => {
    const out = redactor.redactString(c.text);
    for (const needle of c.mustVanish) expect(out.value).not.toContain(needle);
    expect(out.patterns.length).toBeGreaterThan(0);
  });

  it('redacts every secret wherever it sits in a tool result and records paths, never values', () => {
    for (const c of cases) {
      const result = { content: [{ type: 'text', text: c.text }], structuredContent: { nested: [{ v: c.text }] }, _meta: { note: c.text } };
      const out = redactor.redactValue(result, 'result');
      const serialised = JSON.stringify(out.value);
      for (const needle of c.mustVanish) expect(serialised).not.toContain(needle);
      const paths = out.redactions.map((r) => r.path);
      expect(paths).toEqual(expect.arrayContaining(['result.content.0.text', 'result.structuredContent.nested.0.v', 'result._meta.note']));
      expect(JSON.stringify(out.redactions)).not.toContain(c.secret);
    }
  });

  it.each(benign.map((text) => [text.slice(0, 60), text] as const))('leaves look-alike untouched: %s', (_label, text) => {
    const out = redactor.redactString(text);
    expect(out.patterns).toEqual([]);
    expect(out.value).toBe(text);
  });

  it('is idempotent: redacting redacted text changes nothing more', () => {
    for (const c of cases) {
      const once = redactor.redactString(c.text).value;
      expect(redactor.redactString(once).value).toBe(once);
    }
  });
});
