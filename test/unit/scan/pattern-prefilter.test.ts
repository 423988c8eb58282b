import { describe, expect, it } from 'vitest';
import { createRedactor, redactionMark } from '../../../src/scan/redactor.js';
import { SECRET_PATTERNS } from '../../../src/scan/patterns/secrets.js';
import { BUILTIN_CHUNKS, collectMatches, mergeRanges, type MatchRange } from '../../../src/scan/bounded-match.js';
import { isPlaceholder } from '../../../src/scan/placeholders.js';
// @ts-expect-error plain ESM fixture without types
import { lookalikes, secretCases } from '../../fixtures/corpus/secrets.mjs';
// @ts-expect-error plain ESM fixture without types
import { PROVIDERS } from '../../fixtures/corpus/providers.mjs';
// @ts-expect-error plain ESM fixture without types
import { seeded } from '../../fixtures/detection/compose.mjs';

// The redactor skips patterns by keyword, looks for token prefixes only near runs, matches token
// patterns from the first run on and finds base64 runs by hand (pattern-scan.ts, base64-runs.ts).
// None of that may change what is redacted: here every built-in pattern runs over the whole text
// and base64 runs are found by the regex the scan used before, and the outputs must be identical.

function referencePatterns(text: string, suffix: string): MatchRange[] {
  const out: MatchRange[] = [];
  for (const p of SECRET_PATTERNS) {
    const found: MatchRange[] = [];
    collectMatches(text, p.regex, p.name + suffix, BUILTIN_CHUNKS, Number.POSITIVE_INFINITY, found);
    const earlier = out.length;
    const overlapsEarlier = (r: MatchRange): boolean => out.slice(0, earlier).some((e) => e.start < r.end && r.start < e.end);
    out.push(...found.filter((r) => !isPlaceholder(text.slice(r.start, r.end)) && (p.accept?.(text.slice(r.start, r.end)) ?? true) && !(p.fallback === true && overlapsEarlier(r))));
  }
  return out;
}

const RUN = /(?<![A-Za-z0-9+/_-])[A-Za-z0-9+/_-]{24,65536}={0,2}/g;

function referenceBase64(text: string, out: MatchRange[]): void {
  let runs = 0;
  for (const m of text.matchAll(RUN)) {
    if (++runs > 256) break;
    const [start, end] = [m.index, m.index + m[0].length];
    if (out.some((r) => r.start <= start && r.end >= end)) continue;
    const bytes = Buffer.from(m[0], /[-_]/.test(m[0]) ? 'base64url' : 'base64');
    const probe = bytes.subarray(0, 256);
    const printable = probe.filter((b) => (b >= 0x20 && b < 0x7f) || b === 0x0a || b === 0x0d || b === 0x09).length;
    if (m[0].length % 4 === 1 || probe.length === 0 || printable / probe.length < 0.9) continue;
    const inside = referencePatterns(bytes.toString('utf8'), '_b64');
    if (inside.length > 0) out.push({ start, end, pattern: inside[0]!.pattern });
  }
}

function referenceRedact(text: string): { value: string; patterns: string[] } {
  if (text.length < 4) return { value: text, patterns: [] };
  const ranges = referencePatterns(text, '');
  referenceBase64(text, ranges);
  if (ranges.length === 0) return { value: text, patterns: [] };
  const patterns = [...new Set(ranges.map((r) => r.pattern))];
  let value = '';
  let at = 0;
  for (const r of mergeRanges(ranges)) {
    value += text.slice(at, r.start) + redactionMark(r.pattern);
    at = r.end;
  }
  return { value: value + text.slice(at), patterns };
}

const rand = seeded(20261205);
const pick = <T,>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
const HEX = '0123456789abcdef';
const uuid = (): string => [8, 4, 4, 4, 12].map((n) => Array.from({ length: n }, () => pick([...HEX])).join('')).join('-');
const PROSE = 'The gateway reads `.rea/policy.yaml` at startup and reloads it when the file changes; see https://example.com/docs for the path of each key.\n';
const IDS = JSON.stringify(Array.from({ length: 6 }, (_, i) => ({ id: uuid(), path: `/srv/app/src/module${i}.ts` })));

const secrets = (secretCases() as { text: string }[]).map((c) => c.text);
const samples = (PROVIDERS as [string, string, (s: string) => string][]).map(([, secret, carry]) => carry(secret));
const benign = lookalikes() as string[];
const single = [...secrets, ...samples, ...benign];
/** Where a secret sits among other text: after prose, far after an id, glued to a neighbour, in a crowd. */
const composed = [
  ...single.map((t) => PROSE.repeat(8) + t),
  // `İ` lowercases to two code units: positions in the text and in its lowercased whole part ways.
  ...single.map((t) => `${'İ'.repeat(300)} ${t} ${'İ'.repeat(300)}`),
  ...single.map((t) => `${IDS}\n${PROSE.repeat(4)}${t}\n${IDS}`),
  ...single.map((t) => `${pick(['GH_TOKEN_', 'key-', 'token%3D', 'x.', 'a:', '/', '=', 'id_', '-'])}${t}${pick(['', '_', '-', '.', '%20', 'AAAA'])}`),
  ...Array.from({ length: 40 }, () => Array.from({ length: 12 }, () => pick(single)).join(pick(['\n', ' ', ', ', '"}, {"v": "']))),
  ...Array.from({ length: 20 }, () => Buffer.from(Array.from({ length: 3 }, () => pick(single)).join('\n')).toString(pick(['base64', 'base64url']))),
];

describe('the prefiltered scan redacts exactly what every pattern over the whole text does', () => {
  const redactor = createRedactor();

  it.each([
    ['the secret corpus', secrets],
    ['the provider samples', samples],
    ['the look-alikes', benign],
    ['secrets among other text', composed],
  ] as const)('%s', (_label, texts) => {
    const differ = texts.filter((text) => JSON.stringify(redactor.redactString(text)) !== JSON.stringify(referenceRedact(text)));
    expect(differ).toEqual([]);
  });

  it('the composed texts redact something and hold runs before their secrets', () => {
    const redacted = composed.filter((t) => referenceRedact(t).patterns.length > 0);
    expect(redacted.length).toBeGreaterThan(composed.length / 2);
    expect(IDS).toMatch(/[0-9a-f-]{36}/);
  });
});
