import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startGateway } from '../helpers/gateway.js';
import { CLI, fixtureEntry, tempRepo } from '../helpers/temp-repo.js';

const rea = (root: string, ...args: string[]) => spawnSync(process.execPath, [CLI, '--dir', root, ...args], { encoding: 'utf8', input: '' });

describe('signed checkpoints prove the log beyond the machine', () => {
  const keys = mkdtempSync(join(tmpdir(), 'rea-keys-'));
  const shipped = mkdtempSync(join(tmpdir(), 'rea-anchor-'));
  const repo = tempRepo({ servers: [fixtureEntry('echo', 'echo')] });
  afterAll(() => {
    repo.cleanup();
    rmSync(keys, { recursive: true, force: true });
    rmSync(shipped, { recursive: true, force: true });
  });

  it('signs checkpoints with a key kept outside the project, and verify detects a truncated tail through the anchor', async () => {
    expect(rea(repo.root, 'audit', 'keygen', '--out', keys).status).toBe(0);
    const privateKey = join(keys, readdirSync(keys).find((f) => f.endsWith('.key'))!);
    const publicKey = join(keys, readdirSync(keys).find((f) => f.endsWith('.pub'))!);
    repo.write('.rea/policy.yaml', `version: "1"\nautonomy_level: L3\nmax_autonomy_level: L3\naudit:\n  checkpoint:\n    every_records: 2\n    private_key: ${JSON.stringify(privateKey)}\n`);
    const gw = await startGateway({ root: repo.root });
    for (let i = 0; i < 6; i += 1) await gw.client.callTool({ name: 'echo__echo', arguments: { text: `n${i}` } });
    await gw.close();
    // The operator ships the anchor off the machine (here: another directory).
    const anchor = join(shipped, 'audit.anchor.json');
    copyFileSync(join(repo.reaDir, 'audit.anchor.json'), anchor);

    const clean = rea(repo.root, 'audit', 'verify', '--pubkey', publicKey, '--anchor', anchor, '--json');
    expect(clean.status).toBe(0);
    expect(JSON.parse(clean.stdout)).toMatchObject({ ok: true, anchor: 'found' });

    const log = join(repo.reaDir, 'audit.jsonl');
    const lines = readFileSync(log, 'utf8').trimEnd().split('\n');
    writeFileSync(log, lines.slice(0, lines.length - 3).join('\n') + '\n');
    const cut = rea(repo.root, 'audit', 'verify', '--pubkey', publicKey, '--anchor', anchor, '--json');
    expect(cut.status).toBe(1);
    expect(JSON.parse(cut.stdout)).toMatchObject({ ok: false, anchor: 'truncated', firstBreak: { reason: 'truncated' } });
  });

  it('refuses to start with a signing key inside the project', () => {
    const inside = tempRepo({ policy: 'version: "1"\naudit:\n  checkpoint:\n    private_key: .rea/key.pem\n' });
    try {
      const result = spawnSync(process.execPath, [CLI, 'serve', '--dir', inside.root], { encoding: 'utf8', input: '' });
      expect(result.status).toBe(1);
      expect(result.stderr).toContain('`audit.checkpoint.private_key` must be outside the project');
    } finally {
      inside.cleanup();
    }
  });
});
