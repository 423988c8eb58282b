import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { isProcessAlive, startGateway, useGatewayScope } from '../helpers/gateway.js';
import { fixtureEntry, registryYaml, tempRepo } from '../helpers/temp-repo.js';
import { readAudit } from '../helpers/audit-log.js';
import { BASE_ALLOWLIST } from '../../src/registry/child-env.js';

const L3 = 'version: "1"\nautonomy_level: L3\nmax_autonomy_level: L3\n';

describe('gateway supervision', () => {
  const s = useGatewayScope();

  it('fails a call in flight when its server crashes, never re-sends it, and restarts the server', async () => {
    s.repo = tempRepo({ policy: L3 });
    const crashLog = join(s.repo.root, 'crash.log');
    s.repo.write('.rea/registry.yaml', `version: "1"\nservers:\n  - name: crasher\n    command: ${JSON.stringify(process.execPath)}\n    args: [${JSON.stringify(join(import.meta.dirname, '..', 'fixtures', 'servers', 'crashes-on-call.mjs'))}]\n    env: { CRASH_LOG: ${JSON.stringify(crashLog)} }\n`);
    s.gw = await startGateway({ root: s.repo.root });
    let listChanged = 0;
    s.gw.client.setNotificationHandler(ToolListChangedNotificationSchema, () => void (listChanged += 1));
    const first = await s.gw.client.callTool({ name: 'crasher__ping_tool', arguments: {} });
    const firstPid = (first.content as { text: string }[])[0]!.text;

    await expect(s.gw.client.callTool({ name: 'crasher__crash', arguments: { marker: 'once' } })).rejects.toThrow(
      /Downstream "crasher" exited with code 3: crasher: about to die; the call was not retried/,
    );
    await expect.poll(() => listChanged, { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
    await expect
      .poll(async () => (await s.gw!.client.listTools()).tools.some((t) => t.name === 'crasher__ping_tool'), { timeout: 10_000 })
      .toBe(true);
    const second = await s.gw.client.callTool({ name: 'crasher__ping_tool', arguments: {} });
    expect((second.content as { text: string }[])[0]!.text).not.toBe(firstPid);
    expect(readFileSync(crashLog, 'utf8')).toBe('once\n');
  });

  it('refuses a server whose ${VAR} is missing and keeps the others running', async () => {
    s.repo = tempRepo({
      policy: L3,
      servers: [fixtureEntry('needs-env', 'env-report', { env: { API_TOKEN: '${REA_TEST_NOT_SET}' } }), fixtureEntry('echo', 'echo')],
    });
    s.gw = await startGateway({ root: s.repo.root });
    const names = (await s.gw.client.listTools()).tools.map((t) => t.name);
    expect(names).toContain('echo__echo');
    expect(names.some((n) => n.startsWith('needs-env__'))).toBe(false);
    expect(s.gw.stderr.join('\n')).toContain(
      'Server \\"needs-env\\" not started: environment variable REA_TEST_NOT_SET referenced in its env is not set',
    );
  });

  it('gives each child an explicit environment: allowlist, passthrough and interpolated env only', async () => {
    s.repo = tempRepo({
      policy: L3,
      servers: [fixtureEntry('envr', 'env-report', { env_passthrough: ['REA_VISIBLE'], env: { GREETING: 'hi ${REA_SOURCE}' } })],
    });
    s.gw = await startGateway({
      root: s.repo.root,
      env: { REA_VISIBLE: 'yes', REA_SOURCE: 'there', REA_HIDDEN: 'must-not-leak', AWS_SECRET_ACCESS_KEY: 'nope' },
    });
    const result = await s.gw.client.callTool({ name: 'envr__env', arguments: {} });
    const env = JSON.parse((result.content as { text: string }[])[0]!.text) as Record<string, string>;
    expect(env['REA_VISIBLE']).toBe('yes');
    expect(env['GREETING']).toBe('hi there');
    expect(env['REA_HIDDEN']).toBeUndefined();
    expect(env['AWS_SECRET_ACCESS_KEY']).toBeUndefined();
    const allowed = new Set([...BASE_ALLOWLIST, 'REA_VISIBLE', 'GREETING']);
    expect(Object.keys(env).filter((k) => !allowed.has(k) && !k.startsWith('LC_'))).toEqual([]);
  });

  it('prefixes child stderr as log lines with the server name', async () => {
    s.repo = tempRepo({ policy: L3, servers: [fixtureEntry('dies', 'exits-at-once'), fixtureEntry('echo', 'echo')] });
    s.gw = await startGateway({ root: s.repo.root });
    await s.gw.client.listTools();
    await expect
      .poll(() => s.gw!.stderr.find((l) => l.includes('exits-at-once: bad config')))
      .toMatch(/"server":"dies".*"stream":"stderr"|"stream":"stderr".*"server":"dies"/);
  });

  it('stops every child on stdin EOF, SIGKILLing one that ignores SIGTERM, and removes pid and state files', async () => {
    s.repo = tempRepo({ policy: L3 });
    const pidFile = join(s.repo.root, 'stubborn.pid');
    s.repo.write('.rea/registry.yaml', registryYaml([fixtureEntry('stubborn', 'ignores-sigterm', { env: { PID_FILE: pidFile } })]));
    s.gw = await startGateway({ root: s.repo.root });
    await s.gw.client.callTool({ name: 'stubborn__noop', arguments: {} });
    const childPid = Number(readFileSync(pidFile, 'utf8'));
    const gatewayPid = s.gw.pid;
    expect(isProcessAlive(childPid)).toBe(true);
    await s.gw.close();
    s.gw = undefined;
    await expect.poll(() => isProcessAlive(gatewayPid), { timeout: 15_000 }).toBe(false);
    expect(isProcessAlive(childPid)).toBe(false);
    const root = s.repo.root;
    expect(() => readFileSync(join(root, '.rea', 'serve.pid'))).toThrow();
    expect(() => readFileSync(join(root, '.rea', 'serve.state.json'))).toThrow();
  });

  it('leaves no child or grandchild behind when the gateway itself is killed with SIGKILL', async () => {
    s.repo = tempRepo({ policy: L3 });
    const pidFile = join(s.repo.root, 'outlives.pid');
    s.repo.write('.rea/registry.yaml', registryYaml([fixtureEntry('stubborn', 'outlives-parent', { env: { PID_FILE: pidFile } })]));
    s.gw = await startGateway({ root: s.repo.root });
    await s.gw.client.callTool({ name: 'stubborn__noop', arguments: {} });
    const [child, grandchild] = readFileSync(pidFile, 'utf8').split(' ').map(Number) as [number, number];
    expect([isProcessAlive(child), isProcessAlive(grandchild)]).toEqual([true, true]);
    // The server ignores stdin EOF and SIGTERM, and so does what it started: only rea's reaper ends them.
    process.kill(s.gw.pid, 'SIGKILL');
    await expect.poll(() => [isProcessAlive(child), isProcessAlive(grandchild)], { timeout: 5_000 }).toEqual([false, false]);
  });

  it('serves the fast servers within the startup budget while one hangs in initialize', async () => {
    s.repo = tempRepo({
      policy: `${L3}gateway:\n  startup_budget_ms: 1500\n`,
      servers: [fixtureEntry('hangs', 'hangs-in-initialize', { startup_timeout_ms: 60000 }), fixtureEntry('echo', 'echo')],
    });
    s.gw = await startGateway({ root: s.repo.root });
    const { tools } = await s.gw.client.listTools();
    expect(tools.map((t) => t.name)).toContain('echo__echo');
    const health = await s.gw.client.callTool({ name: '__rea__health', arguments: {} });
    const report = health.structuredContent as { downstreams: { name: string; state: string }[] };
    expect(report.downstreams).toContainEqual(expect.objectContaining({ name: 'hangs', state: 'starting' }));
  });

  it('opens the circuit after the policy threshold of consecutive failures and fails fast, recorded as circuit_open', async () => {
    s.repo = tempRepo({ policy: `${L3}circuit_breaker:\n  failure_threshold: 2\n  cooldown_ms: 600000\n` });
    s.repo.write('.rea/registry.yaml', `version: "1"\nservers:\n  - name: crasher\n    command: ${JSON.stringify(process.execPath)}\n    args: [${JSON.stringify(join(import.meta.dirname, '..', 'fixtures', 'servers', 'crashes-on-call.mjs'))}]\n`);
    s.gw = await startGateway({ root: s.repo.root });
    const ready = () => expect.poll(async () => (await s.gw!.client.listTools()).tools.some((t) => t.name === 'crasher__crash'), { timeout: 10_000 }).toBe(true);
    for (let i = 0; i < 2; i += 1) {
      await ready();
      await expect(s.gw.client.callTool({ name: 'crasher__crash', arguments: { marker: String(i) } })).rejects.toThrow(/exited with code 3/);
    }
    await ready();
    const denied = await s.gw.client.callTool({ name: 'crasher__ping_tool', arguments: {} });
    expect(denied).toMatchObject({ isError: true, content: [{ text: 'Denied by rea: server circuit open' }] });
    const records = readAudit(s.repo.root);
    expect(records.find((r) => r['deny_code'] === 'circuit_open')).toMatchObject({ tool_name: 'ping_tool', status: 'denied' });
    expect(records.some((r) => r.tool_name === 'rea.circuit' && (r.metadata as { to?: string })?.to === 'open')).toBe(true);
  });

  it('bounds a call by limits.call_timeout_ms and reports the timeout clearly', async () => {
    s.repo = tempRepo({ policy: `${L3}limits:\n  call_timeout_ms: 300\n`, servers: [fixtureEntry('echo', 'echo')] });
    s.gw = await startGateway({ root: s.repo.root });
    await expect(s.gw.client.callTool({ name: 'echo__slow', arguments: { steps: 0 } })).rejects.toThrow(
      'Downstream "echo" did not answer in time; the call was abandoned',
    );
    expect(readAudit(s.repo.root).find((r) => r.tool_name === 'slow' && r['phase'] !== 'intent')).toMatchObject({ status: 'error' });
  });
});
