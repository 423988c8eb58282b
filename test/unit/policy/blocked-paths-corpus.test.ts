import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockedPaths } from '../../../src/chain/middleware/blocked-paths.js';
import { probeCaseInsensitive } from '../../../src/policy/real-path.js';
import { PolicySource } from '../../../src/config/policy-source.js';
import { makeContext, runStage } from './context.js';

const fixtures = join(import.meta.dirname, '../../fixtures/paths');
const bypasses = JSON.parse(readFileSync(join(fixtures, 'bypass.json'), 'utf8')) as { why: string; caseFold?: boolean; args: unknown }[];
const benign = JSON.parse(readFileSync(join(fixtures, 'benign.json'), 'utf8')) as string[];

let tmp: string;
let root: string;
let source: PolicySource;

beforeAll(() => {
  tmp = realpathSync(mkdtempSync(join(tmpdir(), 'rea-paths-')));
  root = join(tmp, 'project');
  for (const dir of ['.rea/cache', 'sub', 'secrets', 'docs', 'src']) mkdirSync(join(root, dir), { recursive: true });
  writeFileSync(join(root, '.rea/HALT'), 'stop\n');
  writeFileSync(join(root, '.env'), 'TOKEN=x\n');
  writeFileSync(join(root, 'secrets/key.pem'), 'key\n');
  writeFileSync(
    join(root, '.rea/policy.yaml'),
    ['version: "1"', 'blocked_paths:', '  - .env', '  - .env.*', '  - secrets/', '  - config/prod.yaml', '  - /etc/shadow', '  - ~/.ssh/', '  - café/', ''].join('\n'),
  );
  symlinkSync(join(root, '.rea'), join(root, 'sub/link-to-rea'));
  symlinkSync(root, join(tmp, 'outside-link'));
  symlinkSync(join(root, 'secrets'), join(root, 'docs/link-dir'));
  symlinkSync(join(root, '.rea/cache'), join(root, 'docs/deep'));
  symlinkSync(join(root, '.rea/HALT'), join(root, 'docs/innocent.txt'));
  source = new PolicySource({ root, watch: false });
});

afterAll(() => {
  source.close();
  rmSync(tmp, { recursive: true, force: true });
});

function expand(text: string): string {
  return text
    .replaceAll('${ROOT_ENC}', encodeURIComponent(root))
    .replaceAll('${FILE_URI_ENC}', encodeURIComponent(`file://${root}/.rea/HALT`))
    .replaceAll('${LONG_LINE}', `${'lorem ipsum '.repeat(100)} .rea/HALT ${'dolor '.repeat(10)}`)
    .replaceAll('${ROOT}', root)
    .replaceAll('${TMP}', tmp)
    .replaceAll('${HOME}', homedir());
}

async function decide(args: Record<string, unknown>) {
  const stage = blockedPaths(root);
  const ctx = makeContext({ args, serverCwd: join(root, 'sub'), policy: source.current() });
  const reached = await runStage(stage, ctx);
  return { reached, decision: ctx.decision };
}

describe('blocked-path corpora', () => {
  const foldsCase = () => probeCaseInsensitive(root);

  it.each(bypasses.map((entry) => [entry.why, entry] as const))('denies the bypass attempt: %s', async (_why, entry) => {
    const args = JSON.parse(expand(JSON.stringify(entry.args))) as Record<string, unknown>;
    const { reached, decision } = await decide(args);
    if (entry.caseFold && !foldsCase()) {
      expect(reached).toBe(true);
      return;
    }
    expect(reached).toBe(false);
    expect(decision).toMatchObject({ kind: 'deny', code: 'blocked_path', stage: 'blocked-paths', message: 'blocked path' });
  });

  it.each(benign.map((value) => [JSON.stringify(value).slice(0, 60), value] as const))('lets ordinary text through: %s', async (_label, value) => {
    const { reached, decision } = await decide({ text: expand(value), nested: [{ value: expand(value) }] });
    expect(decision).toEqual({ kind: 'allow' });
    expect(reached).toBe(true);
  });
});

describe('blocked-path denial', () => {
  it('names the argument where the blocked path was found, at any depth, and the pattern', async () => {
    const nested = await decide({ files: ['README.md', { ok: 'src', path: '.rea/HALT' }] });
    expect(nested.reached).toBe(false);
    expect(nested.decision).toMatchObject({ kind: 'deny', reason: expect.stringMatching(/^argument files\[1\]\.path names .+\/\.rea\/HALT, blocked by `\.rea\/`$/) });
    const top = await decide({ '.env': 'value' });
    expect(top.decision).toMatchObject({ kind: 'deny', reason: expect.stringMatching(/^argument \.env names .+\/\.env, blocked by `\.env`$/) });
  });
});
