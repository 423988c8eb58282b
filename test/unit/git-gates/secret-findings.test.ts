import { describe, expect, it } from 'vitest';
import { isPlaceholder } from '../../../src/scan/placeholders.js';
import { createSecretScanner } from '../../../src/git-gates/secret-findings.js';
import { compileUserPatterns } from '../../../src/scan/user-patterns.js';

// Assembled at run time: this repository's own pre-commit gate scans this file.
const AWS_ID = ['AKIA', 'ZQ7XJ2M4B6N8P3R5'].join('');
const GITHUB = ['ghp', 'R8kQ2mZ7xW4nB9vL3pT6sY1cH5jD0fG8aE2u'].join('_');
const STRIPE = ['sk', 'live', '51HqLmT2eZvKYlo2CfN8aR4wX9pQ'].join('_');

const scanner = createSecretScanner([], 1_000);

describe('secret findings for the pre-commit gate', () => {
  it('reports the line and kind of each secret, never its value', () => {
    const text = `first line\nconst a = "${AWS_ID}";\n\nconst b = "${GITHUB}"; const c = "${STRIPE}";\n`;
    const scan = scanner.scan(text);
    expect(scan).toEqual({
      kind: 'scanned',
      findings: [
        { line: 2, kind: 'aws_access_key' },
        { line: 4, kind: 'github_token' },
        { line: 4, kind: 'stripe_key' },
      ],
    });
    expect(JSON.stringify(scan)).not.toContain(AWS_ID);
  });

  it('does not report a secret the file already held before this commit', () => {
    const before = `const a = "${AWS_ID}";\n`;
    const after = `// moved down\n${before}const b = "${GITHUB}";\n`;
    expect(scanner.scan(after, before)).toEqual({ kind: 'scanned', findings: [{ line: 3, kind: 'github_token' }] });
  });

  it.each([
    'AWS_ACCESS_KEY_ID=AKIAXXXXXXXXXXXXXXXX',
    'SLACK_BOT_TOKEN=xoxb-your-token-here',
    'api_key: "your_api_key_here1"',
    'password: changeme',
    'password = "${DB_PASSWORD}"',
    'DATABASE_URL=postgres://user:password@localhost:5432/app',
    'token: <your-token>',
    'Authorization: Bearer <your-access-token>',
    'stripe: sk_live_xxxxxxxxxxxxxxxxxxxxxxxx',
    'private_key: /home/me/.config/rea/keys/myproject.key',
    'private_key: .rea/key.pem',
  ])('treats %s as a placeholder, not a secret', (line) => {
    expect(scanner.scan(`${line}\n`)).toEqual({ kind: 'scanned', findings: [] });
  });

  it('keeps real-shaped values, including AWS’s documented EXAMPLE key, as secrets', () => {
    expect(isPlaceholder('AKIAIOSFODNN7EXAMPLE')).toBe(false);
    expect(isPlaceholder(AWS_ID)).toBe(false);
    expect(isPlaceholder('hunter2!x')).toBe(false);
  });

  it('applies the policy’s own redact.patterns', () => {
    const custom = createSecretScanner(compileUserPatterns([{ name: 'acme_token', regex: 'acme_[0-9a-f]{16}' }]), 1_000);
    expect(custom.scan('x\nid = acme_0123456789abcdef\n')).toEqual({ kind: 'scanned', findings: [{ line: 2, kind: 'acme_token' }] });
  });
});
