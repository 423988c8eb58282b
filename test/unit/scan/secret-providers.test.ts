import { describe, expect, it } from 'vitest';
import { createRedactor } from '../../../src/scan/redactor.js';
import { tokenRuns } from '../../../src/scan/base64-runs.js';
import { TOKEN_REACH } from '../../../src/scan/pattern-scan.js';
import { SECRET_PATTERNS } from '../../../src/scan/patterns/secrets.js';
// @ts-expect-error plain ESM fixture without types
import { secretCases } from '../../fixtures/corpus/secrets.mjs';
// @ts-expect-error plain ESM fixture without types
import { PROVIDERS as providers } from '../../fixtures/corpus/providers.mjs';

const redactor = createRedactor();
/** [provider, the secret, the text that carries it]. */
const PROVIDERS = providers as [string, string, (secret: string) => string][];

describe('providers from the gitleaks defaults', () => {
  it.each(PROVIDERS.map(([name, secret, carry]) => [name, secret, carry(secret)] as const))('%s: %s', (name, secret, text) => {
    const out = redactor.redactString(text);
    expect(out.value, text).not.toContain(secret);
    expect(out.patterns).toContain(name);
  });
});

describe('their look-alikes stay as they are', () => {
  it.each([
    'docker run --rm -u 1000:1000 -v "$PWD:/src" node:20 npm test',
    'git push -u origin feature/login:feature/login',
    'sort -u names.txt | uniq -c',
    'The compat. layer and the pat. pending note (see sl. 4 of the deck).',
    'const secret_key_base = process.env.SECRET_KEY_BASE;',
    'api-gateway-v2 and sdk-version-3 are documented in CHANGELOG.md',
    `test_${'abc'.repeat(4)}_handles_empty_input`,
    'ls /usr/lib/x86_64-linux-gnu | grep ssl',
    'SNYK_TOKEN=${{ secrets.SNYK_TOKEN }}',
    'HEROKU_API_KEY: <your-heroku-api-key>',
    'curl -u "$USER:$TOKEN" https://api.example.com',
    'host:5432:db:user',
    'nextPageToken: "CAUQAA"',
    `trace sdk-${'4f6a2c1e'}-1b2c-4d5e-8f90-${'a1b2c3d4e5f6'} and api-${'0a1b2c3d'}-4e5f-6a7b-8c9d-${'0e1f2a3b4c5d'}`,
    `test_${'0123456789abcdef'.repeat(2)}abc passed`,
  ])('%s', (text) => {
    expect(redactor.redactString(text).value).toBe(text);
  });
});

describe('token patterns marked longRun', () => {
  // pattern-scan.ts looks for their keywords only within TOKEN_REACH of a run of 20+ A-Za-z0-9_-
  // characters, and matches them from TOKEN_REACH before the first run on: each match must start
  // inside such a run or at most TOKEN_REACH before one, with one of its keywords there too.
  const texts = [...PROVIDERS.map(([, secret, carry]) => carry(secret)), ...(secretCases() as { text: string }[]).map((c) => c.text)];
  const marked = SECRET_PATTERNS.filter((p) => p.longRun === true);

  it('cover most of the catalog', () => {
    expect(marked.length).toBeGreaterThan(60);
  });

  /** Whether [from, to) lies within TOKEN_REACH of one run, starting no later than its end when `starts`. */
  const nearRun = (runs: number[], from: number, to: number, starts: boolean): boolean => {
    for (let i = 0; i < runs.length; i += 2) if (from >= runs[i]! - TOKEN_REACH && (starts ? from < runs[i + 1]! : to <= runs[i + 1]! + TOKEN_REACH)) return true;
    return false;
  };

  it.each(marked.map((p) => [p.name, p] as const))('%s matches only where a long run is', (_name, pattern) => {
    let matched = 0;
    for (const text of texts) {
      const runs = tokenRuns(text);
      for (const m of text.matchAll(new RegExp(pattern.regex.source, pattern.regex.flags))) {
        const end = m.index + m[0].length;
        expect(nearRun(runs, m.index, end, true), `${pattern.name} starts away from a run: ${m[0]} in ${text}`).toBe(true);
        const keyed = (pattern.keywords ?? []).some((k) => {
          for (let at = m.index; at + k.length <= end; at++) if (text.slice(at, at + k.length).toLowerCase() === k && nearRun(runs, at, at + k.length, false)) return true;
          return false;
        });
        expect(keyed || pattern.keywords === undefined, `${pattern.name}: no keyword near a run in ${m[0]}`).toBe(true);
        matched += 1;
      }
    }
    expect(matched, `no sample of ${pattern.name}: add one to PROVIDERS`).toBeGreaterThan(0);
  });
});
