import { execFileSync, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { startGateway, useGatewayScope } from '../helpers/gateway.js';
import { CLI, fixtureEntry, fixtureServer, tempRepo } from '../helpers/temp-repo.js';
import { callRecords, readAudit } from '../helpers/audit-log.js';

const L3 = 'version: "1"\nautonomy_level: L3\nmax_autonomy_level: L3\n';
const rea = (root: string, ...args: string[]) => spawnSync(process.execPath, [CLI, '--dir', root, ...args], { encoding: 'utf8' });

describe('kill switch, wrap mode and status', () => {
  const s = useGatewayScope();

  it('denies every governed call while HALT exists, records it, and resumes after unfreeze', async () => {
    s.repo = tempRepo({ policy: L3, servers: [fixtureEntry('echo', 'echo')] });
    s.gw = await startGateway({ root: s.repo.root });
    expect(rea(s.repo.root, 'freeze', '--reason', 'incident 42').status).toBe(0);
    const denied = await s.gw.client.callTool({ name: 'echo__echo', arguments: { text: 'x' } });
    expect(denied).toMatchObject({ isError: true, content: [{ type: 'text', text: 'Denied by rea: HALT is active' }] });
    await expect(s.gw.client.complete({ ref: { type: 'ref/resource', uri: 'echo://items/{id}' }, argument: { name: 'id', value: 'a' } })).rejects.toThrow(
      'Denied by rea: HALT is active',
    );
    const health = await s.gw.client.callTool({ name: '__rea__health', arguments: {} });
    expect(health.isError).toBeFalsy();
    expect((health.structuredContent as { halt: boolean }).halt).toBe(true);
    expect(rea(s.repo.root, 'unfreeze').status).toBe(0);
    const ok = await s.gw.client.callTool({ name: 'echo__echo', arguments: { text: 'back' } });
    expect(ok.isError).toBeFalsy();

    const records = callRecords(s.repo.root);
    const haltRecord = records.find((r) => r.status === 'denied');
    expect(haltRecord).toMatchObject({ tool_name: 'echo', server_name: 'echo', deny_code: 'halt', deny_stage: 'kill-switch' });
    expect(String(haltRecord?.error)).toContain('incident 42');
    expect(readAudit(s.repo.root).find((r) => r['deny_code'] === 'halt' && r['surface'] === 'completion')).toMatchObject({ status: 'denied', deny_stage: 'kill-switch' });
    const all = readAudit(s.repo.root).map((r) => r.tool_name);
    expect(all).toEqual(expect.arrayContaining(['rea.halt.freeze', 'rea.halt.unfreeze', 'rea.gateway.start']));
    expect(readAudit(s.repo.root).filter((r) => r.tool_name === 'health' && r.server_name === 'rea' && r.status === 'allowed')).toHaveLength(1);
  });

  it('fails closed when HALT cannot be read (a directory named HALT)', async () => {
    s.repo = tempRepo({ policy: L3, servers: [fixtureEntry('echo', 'echo')] });
    s.repo.write('.rea/HALT/reason', 'x');
    s.gw = await startGateway({ root: s.repo.root });
    const denied = await s.gw.client.callTool({ name: 'echo__echo', arguments: { text: 'x' } });
    expect(denied.isError).toBe(true);
    expect(callRecords(s.repo.root).at(-1)).toMatchObject({ status: 'denied', deny_code: 'halt' });
  });

  it('wrap mode proxies one server with its own tool names, through the same chain and audit', async () => {
    s.repo = tempRepo({ policy: 'version: "1"\nautonomy_level: L1\nmax_autonomy_level: L2\n' });
    s.gw = await startGateway({ root: s.repo.root, args: ['--wrap', '--name', 'echo', '--', process.execPath, fixtureServer('echo')] });
    const names = (await s.gw.client.listTools()).tools.map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining(['echo', 'write_value', 'delete_value', '__rea__health']));
    expect(s.gw.client.getInstructions()).toBe('Echo fixture instructions.');
    const ok = await s.gw.client.callTool({ name: 'echo', arguments: { text: 'wrapped' } });
    expect(ok.structuredContent).toEqual({ echoed: 'wrapped' });
    const denied = await s.gw.client.callTool({ name: 'delete_value', arguments: { key: 'k' } });
    expect(denied.isError).toBe(true);
    expect(callRecords(s.repo.root).map((r) => [r.tool_name, r.server_name, r.status])).toEqual([
      ['echo', 'echo', 'allowed'],
      ['delete_value', 'echo', 'denied'],
    ]);
  });

  it('wrap mode forwards only the variables named with --env, as secrets scrubbed from output', async () => {
    s.repo = tempRepo({ policy: 'version: "1"\nautonomy_level: L1\nmax_autonomy_level: L2\n' });
    s.gw = await startGateway({
      root: s.repo.root,
      env: { REA_WRAP_TOKEN: 'wrap-secret-value-1234', REA_NOT_FORWARDED: 'nope' },
      args: ['--wrap', '--name', 'envr', '--env', 'REA_WRAP_TOKEN', '--', process.execPath, fixtureServer('env-report')],
    });
    const result = await s.gw.client.callTool({ name: 'env', arguments: {} });
    const text = (result.content as { text: string }[])[0]!.text;
    const env = JSON.parse(text) as Record<string, string>;
    expect(env['REA_NOT_FORWARDED']).toBeUndefined();
    expect(env['REA_WRAP_TOKEN']).toBe('[REDACTED:injected_secret]');
    expect(text).not.toContain('wrap-secret-value-1234');
  });

  it('rea status --json reports the live gateway, downstreams and HALT in the documented shape', async () => {
    s.repo = tempRepo({ policy: L3, servers: [fixtureEntry('echo', 'echo')] });
    s.gw = await startGateway({ root: s.repo.root });
    await s.gw.client.listTools();
    await expect
      .poll(() => JSON.parse(rea(s.repo!.root, 'status', '--json').stdout).downstreams?.[0]?.state, { timeout: 5000 })
      .toBe('ready');
    const status = JSON.parse(execFileSync(process.execPath, [CLI, '--dir', s.repo.root, 'status', '--json'], { encoding: 'utf8' }));
    expect(status).toEqual({
      serve: { running: true, pid: s.gw.pid, session_id: expect.any(String), started_at: expect.any(String), stale: false },
      downstreams: [{ name: 'echo', state: 'ready', connected: true, tools: expect.any(Number), restarts: 0, last_error: null, circuit: 'closed' }],
      halt: { active: false, reason: null },
      policy: { autonomy_level: 'L3', pending_promotion: null, last_error: null },
      audit: { appended: expect.any(Number), failures: 0, last_error: null },
      telemetry: null,
    });
    const human = rea(s.repo.root, 'status');
    expect(human.status).toBe(0);
    expect(human.stdout).toContain('echo: ready');
  });

  it('rea status exits 3 when no gateway runs and neutralises control characters in its output', () => {
    s.repo = tempRepo({ policy: L3 });
    s.repo.write('.rea/HALT', 'evil \u001b[31mred\u001b[0m reason\n');
    const result = rea(s.repo.root, 'status');
    expect(result.status).toBe(3);
    expect(result.stdout).not.toContain('\u001b');
    expect(result.stdout).toContain('HALT: ACTIVE — evil \\x1b[31mred\\x1b[0m reason');
  });

  it('refuses to start on a broken registry with file, line and key, exit code 1', () => {
    s.repo = tempRepo({ policy: L3 });
    s.repo.write('.rea/registry.yaml', 'version: "1"\nservers:\n  - name: echo\n    command: node\n    colour: blue\n');
    const result = spawnSync(process.execPath, [CLI, 'serve', '--dir', s.repo.root], { encoding: 'utf8', input: '' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`${s.repo.root}/.rea/registry.yaml:5: \`servers[0].colour\` is not a known key`);
    expect(result.stdout).toBe('');
  });
});
