import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LoggingMessageNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { startGateway, useGatewayScope } from '../helpers/gateway.js';
import { CLI, fixtureEntry, fixtureServer, tempRepo } from '../helpers/temp-repo.js';
import { readAudit } from '../helpers/audit-log.js';

const L3 = 'version: "1"\nautonomy_level: L3\nmax_autonomy_level: L3\n';
const TOKEN = 'ghp_' + 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8';

describe('nothing leaves the gateway unscrubbed or unrecorded, even outside the chain', () => {
  const s = useGatewayScope();

  it('redacts a secret in the last stderr line of a crashed server before it reaches the agent in the error', async () => {
    s.repo = tempRepo({ policy: L3 });
    s.repo.write('.rea/registry.yaml', `version: "1"\nservers:\n  - name: crasher\n    command: ${JSON.stringify(process.execPath)}\n    args: [${JSON.stringify(fixtureServer('crashes-on-call'))}]\n    env: { CRASH_MESSAGE: "fatal: bad credentials ${TOKEN}" }\n`);
    s.gw = await startGateway({ root: s.repo.root });
    const error = await s.gw.client.callTool({ name: 'crasher__crash', arguments: { marker: 'x' } }).catch((e: Error) => e);
    expect(String(error)).toContain('Downstream "crasher" exited with code 3: fatal: bad credentials');
    expect(String(error)).not.toContain(TOKEN);
    expect(s.gw.stderr.join('\n')).not.toContain(TOKEN);
  });

  // Review finding 7: the same line used to be stored raw wherever rea keeps a server's last error.
  it("keeps a crashed server's secret out of health, serve.state.json, rea status and the restart records", async () => {
    s.repo = tempRepo({ policy: `${L3}gateway:\n  expose_errors: true\n` });
    s.repo.write('.rea/registry.yaml', `version: "1"\nservers:\n  - name: dead\n    command: ${JSON.stringify(process.execPath)}\n    args: [${JSON.stringify(fixtureServer('exits-at-once'))}, "fatal: bad credentials ${TOKEN}"]\n`);
    s.gw = await startGateway({ root: s.repo.root });
    const root = s.repo.root;
    await expect.poll(() => readAudit(root).filter((r) => r.tool_name === 'rea.downstream.restart').length, { timeout: 10_000 }).toBeGreaterThan(0);
    const health = await s.gw.client.callTool({ name: '__rea__health', arguments: {} });
    const dead = (health.structuredContent as { downstreams: { name: string; last_error?: string }[] }).downstreams.find((d) => d.name === 'dead');
    expect(dead?.last_error).toBe('Downstream "dead" exited with code 1: fatal: bad credentials [REDACTED:github_token]');
    const status = spawnSync(process.execPath, [CLI, '--dir', root, 'status'], { encoding: 'utf8' });
    expect(status.stdout).toContain('fatal: bad credentials [REDACTED:github_token]');
    for (const text of [JSON.stringify(health), status.stdout, readFileSync(join(root, '.rea', 'serve.state.json'), 'utf8'), JSON.stringify(readAudit(root))]) {
      expect(text).not.toContain(TOKEN);
    }
  });

  it('redacts secrets in the names, URIs and reasons the agent supplies before they are recorded or printed', async () => {
    s.repo = tempRepo({ policy: `${L3}blocked_paths: [".env"]\n`, servers: [fixtureEntry('echo', 'echo')] });
    s.gw = await startGateway({ root: s.repo.root });
    const client = s.gw.client;
    await client.callTool({ name: `echo__${TOKEN}`, arguments: {} }).catch(() => undefined);
    // Glued to `_` (`ghost__ghp_…`) it is the redactor's boundary case, review finding 8 (issue 12).
    await client.callTool({ name: `ghost__x.${TOKEN}`, arguments: {} }).catch(() => undefined);
    await client.readResource({ uri: `echo://readme?access_token=${TOKEN}` }).catch(() => undefined);
    await client.readResource({ uri: 'https://admin:S3cr3tPassw0rd@db.internal.example/x' }).catch(() => undefined);
    await client.callTool({ name: 'echo__echo', arguments: { text: `.env/${TOKEN}` } });
    await s.gw.close();
    const records = readAudit(s.repo.root);
    expect(records.filter((r) => r['phase'] === 'outcome' && r.status !== 'allowed')).toHaveLength(5);
    const query = spawnSync(process.execPath, [CLI, '--dir', s.repo.root, 'audit', 'query', '--status', 'denied'], { encoding: 'utf8' });
    for (const text of [JSON.stringify(records), query.stdout]) {
      expect(text).not.toContain(TOKEN);
      expect(text).not.toContain('S3cr3tPassw0rd');
    }
  });

  it('redacts secrets in logging notifications a downstream sends to the agent', async () => {
    s.repo = tempRepo({ policy: L3, servers: [fixtureEntry('echo', 'echo')] });
    s.gw = await startGateway({ root: s.repo.root });
    const received: unknown[] = [];
    s.gw.client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => void received.push(n.params.data));
    await s.gw.client.callTool({ name: 'echo__log', arguments: { message: `deploying with ${TOKEN}` } });
    await expect.poll(() => received.length).toBeGreaterThan(0);
    expect(JSON.stringify(received)).not.toContain(TOKEN);
    expect(JSON.stringify(received)).toContain('deploying with [REDACTED');
  });

  it('records an unknown tool or prompt as a denied outcome with a digest of its arguments', async () => {
    s.repo = tempRepo({ policy: L3, servers: [fixtureEntry('echo', 'echo')] });
    s.gw = await startGateway({ root: s.repo.root });
    await expect(s.gw.client.callTool({ name: 'echo__nope', arguments: { a: 1 } })).rejects.toThrow('Unknown tool "nope" on server "echo"');
    await expect(s.gw.client.callTool({ name: 'ghost__tool', arguments: {} })).rejects.toThrow('no server named "ghost"');
    await expect(s.gw.client.getPrompt({ name: 'echo__nope', arguments: { a: '1' } })).rejects.toThrow('Unknown prompt "echo__nope"');
    await expect(s.gw.client.complete({ ref: { type: 'ref/prompt', name: 'echo__gone' }, argument: { name: 'a', value: 'b' } })).rejects.toThrow('Unknown prompt "echo__gone"');
    const refusals = readAudit(s.repo.root).filter((r) => r['deny_stage'] === 'router');
    expect(refusals.map((r) => [r.server_name, r.tool_name, r.status, r['deny_code'], r['surface']])).toEqual([
      ['echo', 'nope', 'denied', 'unknown_tool', 'tool'],
      ['ghost', 'tool', 'denied', 'unknown_tool', 'tool'],
      ['echo', 'echo__nope', 'denied', 'unknown_prompt', 'prompt'],
      ['echo', 'echo__gone', 'denied', 'unknown_prompt', 'completion'],
    ]);
    expect(refusals[0]!['args_digest']).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(refusals)).not.toContain('"a":1');
  });

  it('stops a child that sends an oversize message instead of leaving its call hanging', async () => {
    s.repo = tempRepo({ policy: L3, servers: [fixtureEntry('huge', 'huge-result', { max_message_bytes: 1_000_000 })] });
    s.gw = await startGateway({ root: s.repo.root });
    await expect(s.gw.client.callTool({ name: 'huge__huge', arguments: { bytes: 2_000_000 } })).rejects.toThrow(/Downstream "huge" exited/);
    expect(s.gw.stderr.some((l) => l.includes('Oversize message on stdout; stopping the server'))).toBe(true);
  });
});
