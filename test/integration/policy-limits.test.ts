import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { callRecords, type AuditLine } from '../helpers/audit-log.js';
import { startGateway, type RunningGateway } from '../helpers/gateway.js';
import { fixtureEntry, tempRepo, type TempRepo } from '../helpers/temp-repo.js';

const POLICY = `version: "1"
autonomy_level: L1
max_autonomy_level: L1
blocked_paths: [.env, secrets/]
rate_limits:
  tools:
    "echo__echo": { rate: 0.001, burst: 2 }
limits:
  max_result_bytes: 4096
`;

/** The `count`-th call record of `tool` in the project's log, once it is written. */
async function lastRecord(root: string, tool: string, count: number): Promise<AuditLine> {
  return vi.waitFor(() => {
    const records = callRecords(root).filter((r) => r.tool_name === tool);
    if (records.length < count) throw new Error('record not written yet');
    return records[count - 1]!;
  });
}

describe('blocked paths, rate limits and the size cap through the gateway', () => {
  let repo: TempRepo;
  let gw: RunningGateway;
  beforeAll(async () => {
    repo = tempRepo({ servers: [fixtureEntry('echo', 'echo'), fixtureEntry('huge', 'huge-result')], policy: POLICY });
    repo.write('secrets/key.pem', 'k');
    symlinkSync(join(repo.root, 'secrets'), join(repo.root, 'innocent'));
    gw = await startGateway({ root: repo.root });
  });
  afterAll(async () => {
    await gw?.close();
    repo?.cleanup();
  });

  it.each([
    ['an odd key naming .rea', { key: '.rea/policy.yaml', value: 'x' }],
    ['an encoded traversal', { key: 'a/..%2f.env', value: 'x' }],
    ['a symlink into a blocked directory', { key: 'innocent/key.pem', value: 'x' }],
  ])('denies %s with a short message and the full reason in the audit record', async (_why, args) => {
    const before = callRecords(repo.root).filter((r) => r.tool_name === 'write_value').length;
    const result = await gw.client.callTool({ name: 'echo__write_value', arguments: args });
    expect(result).toMatchObject({ isError: true, content: [{ text: 'Denied by rea: blocked path' }] });
    const record = await lastRecord(repo.root, 'write_value', before + 1);
    expect(record).toMatchObject({ status: 'denied', deny_code: 'blocked_path', deny_stage: 'blocked-paths' });
    expect(record.error).toMatch(/^argument key names .+, blocked by `(\.rea\/|\.env|secrets\/)`$/);
  });

  it('denies past the tool burst with `rate limit`', async () => {
    const texts: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      const result = await gw.client.callTool({ name: 'echo__echo', arguments: { text: 'x' } });
      texts.push((result.content as { text: string }[])[0]!.text);
    }
    expect(texts).toEqual(['x', 'x', 'Denied by rea: rate limit']);
    expect(await lastRecord(repo.root, 'echo', 3)).toMatchObject({ status: 'denied', deny_code: 'rate_limit', error: 'tool:echo__echo exceeded 0.001/s (burst 2)' });
  });

  it('truncates an oversize result with a visible notice and marks it', async () => {
    const result = await gw.client.callTool({ name: 'huge__huge', arguments: { bytes: 100_000 } });
    const content = result.content as { type: string; text: string }[];
    expect(content).toHaveLength(1);
    expect(content[0]!.text.endsWith('\n[rea: result truncated: kept 3936 of 100000 bytes]')).toBe(true);
    expect(result._meta).toMatchObject({ 'rea/truncated': true });
    expect(await lastRecord(repo.root, 'huge', 1)).toMatchObject({ status: 'allowed', metadata: { result_bytes: 100000, result_truncated: true } });
  });
});

describe('governance files through the gateway', () => {
  let repo: TempRepo;
  let gw: RunningGateway;
  beforeAll(async () => {
    repo = tempRepo({ servers: [fixtureEntry('echo', 'echo')], policy: 'version: "1"\nautonomy_level: L1\n' });
    gw = await startGateway({ root: repo.root });
  });
  afterAll(async () => {
    await gw?.close();
    repo?.cleanup();
  });

  it.each([
    ['the Claude Code settings that register rea\'s hooks', '.claude/settings.json'],
    ['.mcp.json, which routes servers through rea', '.mcp.json'],
    ['a git hook', '.git/hooks/pre-commit'],
  ])('denies a tool that writes %s, and lets a read name it', async (_what, key) => {
    const before = callRecords(repo.root).filter((r) => r.tool_name === 'write_value').length;
    const result = await gw.client.callTool({ name: 'echo__write_value', arguments: { key, value: '{"disableAllHooks": true}' } });
    expect(result).toMatchObject({ isError: true, content: [{ text: 'Denied by rea: blocked path' }] });
    const record = await lastRecord(repo.root, 'write_value', before + 1);
    expect(record).toMatchObject({ status: 'denied', deny_code: 'blocked_path', deny_stage: 'blocked-paths' });
    expect(record.error).toMatch(/a governance file only a human may change$/);
    expect(await gw.client.callTool({ name: 'echo__echo', arguments: { text: key } })).toMatchObject({ content: [{ text: key }] });
  });

});
