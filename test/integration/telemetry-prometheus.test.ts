import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { logRecords, startGateway, useGatewayScope } from '../helpers/gateway.js';
import { CLI, fixtureEntry, tempRepo } from '../helpers/temp-repo.js';

const WAIT = { timeout: 20_000, interval: 100 };
const HAS_PROMETHEUS = spawnSync('prometheus', ['--version']).status === 0;

function status(root: string): { telemetry: { prometheus: { url: string | null; last_error: string | null } } | null } {
  return JSON.parse(spawnSync(process.execPath, [CLI, 'status', '--json', '--dir', root], { encoding: 'utf8' }).stdout) as never;
}

async function prometheusUrl(root: string): Promise<string> {
  let url: string | null = null;
  await vi.waitFor(() => {
    url = status(root).telemetry?.prometheus.url ?? null;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
  }, WAIT);
  return url!;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('Prometheus metrics (issue 13)', () => {
  const scope = useGatewayScope();
  const cleanup: (() => void)[] = [];
  afterEach(() => {
    for (const fn of cleanup.splice(0)) fn();
  });

  it('serves /metrics on a loopback port chosen by the system, shown by rea status, with the call counts', async () => {
    scope.repo = tempRepo({ servers: [fixtureEntry('echo', 'echo')], policy: 'version: "1"\ntelemetry:\n  prometheus: { listen: "127.0.0.1:0" }\n' });
    scope.gw = await startGateway({ root: scope.repo.root });
    const url = await prometheusUrl(scope.repo.root);
    for (let i = 0; i < 3; i += 1) await scope.gw.client.callTool({ name: 'echo__echo', arguments: { text: `p${i}` } });
    await scope.gw.client.callTool({ name: 'echo__nope', arguments: {} }).catch(() => undefined);
    const response = await fetch(url);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const text = await response.text();
    expect(text).toContain('rea_calls_total{server="echo",tool="echo",tier="read",status="allowed"} 3');
    expect(text).toMatch(/mcp_server_operation_duration_seconds_count\{mcp_method_name="tools\/call",gen_ai_tool_name="echo__echo",error_type="",rea_server="echo"\} 3/);
    expect(text).toMatch(/rea_audit_appends_total \d+/);
    expect(text).toContain('rea_audit_write_duration_seconds_bucket');
    expect((await fetch(url.replace('/metrics', '/other'))).status).toBe(404);
  });

  it('reports a port already taken clearly and keeps serving', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    cleanup.push(() => blocker.close());
    const { port } = blocker.address() as AddressInfo;
    scope.repo = tempRepo({ servers: [fixtureEntry('echo', 'echo')], policy: `version: "1"\ntelemetry:\n  prometheus: { listen: "127.0.0.1:${port}" }\n` });
    scope.gw = await startGateway({ root: scope.repo.root });
    const expected = `telemetry.prometheus.listen: 127.0.0.1:${port} is already in use; pick another port, or port 0 for any free one`;
    const gw = scope.gw;
    await vi.waitFor(() => expect(logRecords(gw.stderr).some((l) => l['msg'] === expected)).toBe(true), WAIT);
    const result = await scope.gw.client.callTool({ name: 'echo__echo', arguments: { text: 'still here' } });
    expect(result.isError).toBeFalsy();
    const root = scope.repo.root;
    await vi.waitFor(() => expect(status(root).telemetry?.prometheus).toEqual({ url: null, last_error: expected }), WAIT);
  });

  it.skipIf(!HAS_PROMETHEUS)('is scraped by a real Prometheus server, which shows the call counts', async () => {
    scope.repo = tempRepo({ servers: [fixtureEntry('echo', 'echo')], policy: 'version: "1"\ntelemetry:\n  prometheus: { listen: "127.0.0.1:0" }\n' });
    scope.gw = await startGateway({ root: scope.repo.root });
    const target = new URL(await prometheusUrl(scope.repo.root));
    for (let i = 0; i < 4; i += 1) await scope.gw.client.callTool({ name: 'echo__echo', arguments: { text: `s${i}` } });
    const config = scope.repo.write('prometheus.yml', `global: { scrape_interval: 1s }\nscrape_configs:\n  - job_name: rea\n    static_configs: [{ targets: ["${target.host}"] }]\n`);
    const port = await freePort();
    const server: ChildProcess = spawn('prometheus', [`--config.file=${config}`, `--storage.tsdb.path=${join(scope.repo.root, 'tsdb')}`, `--web.listen-address=127.0.0.1:${port}`], { stdio: 'ignore' });
    cleanup.push(() => server.kill('SIGKILL'));
    const query = `http://127.0.0.1:${port}/api/v1/query?query=${encodeURIComponent('rea_calls_total{tool="echo",status="allowed"}')}`;
    await vi.waitFor(async () => {
      const body = (await (await fetch(query)).json()) as { data: { result: { value: [number, string] }[] } };
      expect(body.data.result[0]?.value[1]).toBe('4');
    }, { timeout: 30_000, interval: 250 });
  }, 45_000);
});
