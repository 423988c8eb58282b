import { describe, expect, it } from 'vitest';
import safeRegex from 'safe-regex';
import { SECRET_PATTERNS } from '../../../src/scan/patterns/secrets.js';
import { TIMEOUT_SENTINEL, createRedactor } from '../../../src/scan/redactor.js';
import { compileUserPatterns } from '../../../src/scan/user-patterns.js';
import { ConfigError } from '../../../src/errors.js';

const GHP = 'ghp_' + 'Ab3'.repeat(12);

describe('secret patterns', () => {
  it.each(SECRET_PATTERNS.map((p) => [p.name, p] as const))('%s is global and passes safe-regex', (_n, p) => {
    expect(p.regex.global).toBe(true);
    // The source, not the RegExp: safe-regex cannot parse the `d` flag and then answers true for anything.
    expect(safeRegex(p.regex.source)).toBe(true);
    for (const k of p.keywords ?? []) expect(k).toBe(k.toLowerCase());
  });

  it('finishes every built-in pattern on hostile inputs without hitting the bound', () => {
    // Generous budget: this asserts linear behaviour (a quadratic pattern takes minutes on these sizes), not speed.
    const redactor = createRedactor({ matchTimeoutMs: 5_000 });
    const size = 256 * 1024;
    const hostile: string[] = ['-----BEGIN PRIVATE KEY-----'.repeat(size / 27), '-'.repeat(size), 'aB3'.repeat(size / 3), 'eyJ'.repeat(size / 3)];
    for (const p of SECRET_PATTERNS) {
      for (const k of p.keywords ?? ['M']) {
        hostile.push((k + 'A1b2'.repeat(10)).repeat(Math.ceil(size / (k.length + 40))), k + 'a'.repeat(size), (k + '=').repeat(size / (k.length + 1)), (k + ': "').repeat(size / (k.length + 3)));
      }
    }
    for (const text of hostile) expect(redactor.redactString(text).timedOutPattern).toBeUndefined();
  });
});

describe('createRedactor', () => {
  it('replaces only the secret and names the pattern', () => {
    const r = createRedactor();
    expect(r.redactString(`gh=${GHP} ok`)).toEqual({ value: 'gh=[REDACTED:github_token] ok', patterns: ['github_token'] });
    expect(r.redactString('DB_PASSWORD=hunter2!x').value).toBe('DB_PASSWORD=[REDACTED:password_assignment]');
  });

  it('walks JSON values, returns paths and patterns, and never mutates the input', () => {
    const r = createRedactor();
    const input = { a: [{ b: `x ${GHP}` }, 'plain'], n: 1, t: true, z: null };
    const frozen = structuredClone(input);
    const out = r.redactValue(input, 'args');
    expect(out.value).toEqual({ a: [{ b: 'x [REDACTED:github_token]' }, 'plain'], n: 1, t: true, z: null });
    expect(out.redactions).toEqual([{ path: 'args.a.0.b', pattern: 'github_token' }]);
    expect(input).toEqual(frozen);
    expect(out.value.a[1]).toBe('plain');
  });

  it('returns the very same object when nothing is redacted', () => {
    const r = createRedactor();
    const input = { content: [{ type: 'text', text: 'hello world' }] };
    expect(r.redactValue(input).value).toBe(input);
  });

  it('scrubs injected env values and their base64 and URL-encoded forms', () => {
    const secret = 'vault-Token/With+Chars=42';
    const r = createRedactor({ exactValues: [secret, 'short'] });
    const b64 = Buffer.from(`prefix:${secret}:suffix`).toString('base64');
    const out = r.redactString(`a ${secret} b ${encodeURIComponent(secret)} c ${b64} d short`);
    expect(out.value).not.toContain(secret);
    expect(out.value).not.toContain(encodeURIComponent(secret));
    expect(out.value).not.toContain(Buffer.from(secret).toString('base64').slice(4, 24));
    expect(out.value).toContain('d short');
    expect(out.patterns).toEqual(expect.arrayContaining(['injected_secret', 'injected_secret_url']));
  });

  it('applies user patterns from policy', () => {
    const r = createRedactor({ userPatterns: compileUserPatterns([{ name: 'acme_id', regex: 'ACME-[0-9]{6}' }]) });
    expect(r.redactString('id ACME-123456.').value).toBe('id [REDACTED:acme_id].');
  });

  it('replaces a value whose scan exceeds the budget with the sentinel and reports the event without the input', () => {
    // Vetted by safe-regex (star height 1) yet quadratic: the run of letters is re-scanned from every start.
    const r = createRedactor({ matchTimeoutMs: 25, userPatterns: compileUserPatterns([{ name: 'slow', regex: '[a-z]+1' }]) });
    const text = 'a'.repeat(1024 * 1024);
    const out = r.redactValue({ big: text }, 'result');
    expect(out.value).toEqual({ big: TIMEOUT_SENTINEL });
    expect(out.timeouts).toEqual([{ event: 'redact.regex_timeout', path: 'result.big', pattern: 'slow', input_bytes: text.length, timeout_ms: 25 }]);
    expect(out.redactions).toEqual([{ path: 'result.big', pattern: 'slow' }]);
  });

  it('handles a 10 MB string: the secret at the end is redacted or the whole value is withheld', () => {
    const r = createRedactor();
    const text = 'lorem ipsum dolor sit amet '.repeat(400_000) + GHP;
    expect(text.length).toBeGreaterThan(10_000_000);
    const out = r.redactString(text);
    expect(out.value).not.toContain(GHP);
    if (out.timedOutPattern === undefined) expect(out.value.endsWith('[REDACTED:github_token]')).toBe(true);
    else expect(out.value).toBe(TIMEOUT_SENTINEL);
  });

  it('finds a secret straddling a chunk boundary of a long string', () => {
    const r = createRedactor({ matchTimeoutMs: 10_000 });
    const head = 'x '.repeat(64 * 1024 - 10);
    const out = r.redactString(head + GHP + ' tail');
    expect(out.value).toBe(head + '[REDACTED:github_token] tail');
  });
});

describe('compileUserPatterns', () => {
  it('refuses a catastrophic pattern naming the offender', () => {
    expect(() => compileUserPatterns([{ name: 'ok', regex: 'a' }, { name: 'evil', regex: '(a+)+$' }])).toThrow(ConfigError);
    expect(() => compileUserPatterns([{ name: 'evil', regex: '(a+)+$' }])).toThrow(
      'policy.yaml: `redact.patterns[0].regex` (pattern "evil") may backtrack catastrophically (safe-regex); bound its quantifiers and avoid nested repetition',
    );
  });

  it('refuses a pattern that does not compile', () => {
    expect(() => compileUserPatterns([{ name: 'bad', regex: '(' }], '/p/.rea/policy.yaml')).toThrow(
      /^\/p\/\.rea\/policy\.yaml: `redact\.patterns\[0\]\.regex` \(pattern "bad"\) does not compile: /,
    );
  });
});

describe('secrets used as object keys', () => {
  it('are redacted like values, and the record names the key position, not the key', () => {
    const redactor = createRedactor({});
    const token = 'ghp_' + 'Z9y8X7w6V5u4T3s2R1q0P9o8N7m6L5k4J3i2';
    const out = redactor.redactValue({ tokens: { [token]: { scopes: ['repo'] } }, plain: { name: 'x' } }, 'result');
    expect(JSON.stringify(out.value)).not.toContain(token);
    expect(out.value).toMatchObject({ plain: { name: 'x' } });
    expect(out.redactions).toEqual([{ path: 'result.tokens.[key]', pattern: expect.any(String) }]);
  });
});
