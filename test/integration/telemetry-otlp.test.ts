import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { logRecords, startGateway, useGatewayScope } from '../helpers/gateway.js';
import { CLI, REPO_ROOT, fixtureEntry, tempRepo } from '../helpers/temp-repo.js';
import { OtlpReceiver } from '../helpers/otlp-receiver.js';
import { readAudit } from '../helpers/audit-log.js';

const WAIT = { timeout: 15_000, interval: 50 };
/** Async: the receiver lives in this process and must keep answering while the CLI runs. */
const run = promisify(execFile);

function otelEnv(receiver: OtlpReceiver, protocol = 'http/json'): Record<string, string> {
  return {
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
    OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
    OTEL_METRIC_EXPORT_INTERVAL: '200',
    OTEL_SERVICE_NAME: 'rea-under-test',
  };
}

function status(root: string): Record<string, unknown> {
  const run = spawnSync(process.execPath, [CLI, 'status', '--json', '--dir', root], { encoding: 'utf8' });
  return JSON.parse(run.stdout) as Record<string, unknown>;
}

describe('OpenTelemetry over OTLP/HTTP (issue 13)', () => {
  const scope = useGatewayScope();
  let receiver: OtlpReceiver | undefined;
  afterEach(async () => {
    await receiver?.stop();
    receiver = undefined;
  });

  it('emits one span per request named and attributed per the MCP conventions, for tools, resources and prompts', async () => {
    receiver = await OtlpReceiver.start();
    scope.repo = tempRepo({ servers: [fixtureEntry('echo', 'echo'), fixtureEntry('meta', 'reports-meta')] });
    scope.gw = await startGateway({ root: scope.repo.root, env: otelEnv(receiver) });
    const { client } = scope.gw;
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    await client.callTool({ name: 'echo__echo', arguments: { text: 'hi' }, _meta: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` } });
    await client.readResource({ uri: 'echo://readme' });
    await client.getPrompt({ name: 'echo__greet', arguments: { who: 'Ada' } });
    const meta = await client.callTool({ name: 'meta__meta', arguments: {} });
    const r = receiver;
    await vi.waitFor(() => expect(r.spans.filter((s) => s.attributes['mcp.method.name'] !== undefined && s.name !== 'rea.downstream')).toHaveLength(4), WAIT);

    const tool = r.spans.find((s) => s.name === 'tools/call echo__echo')!;
    expect(tool.attributes).toMatchObject({
      'mcp.method.name': 'tools/call',
      'gen_ai.tool.name': 'echo__echo',
      'mcp.session.id': expect.any(String),
      'jsonrpc.request.id': expect.any(String),
      'network.transport': 'pipe',
      'rea.server': 'echo',
      'rea.tier': 'read',
      'rea.decision': 'allow',
      'rea.audit.seq': expect.any(Number),
      'rea.audit.hash': expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    // The client's W3C context is the parent; the downstream call and the durable append are children.
    expect(tool.traceId).toBe(traceId);
    expect(tool.parentSpanId).toBe('00f067aa0ba902b7');
    const children = r.spans.filter((s) => s.parentSpanId === tool.spanId).map((s) => s.name).sort();
    expect(children).toEqual(['rea.audit.append', 'rea.downstream']);
    const record = readAudit(scope.repo.root).find((a) => a.hash === tool.attributes['rea.audit.hash']);
    expect(record).toMatchObject({ tool_name: 'echo', seq: tool.attributes['rea.audit.seq'] });

    expect(r.spans.find((s) => s.name === 'resources/read')?.attributes).toMatchObject({ 'mcp.method.name': 'resources/read', 'mcp.resource.uri': 'echo://readme' });
    expect(r.spans.find((s) => s.name === 'prompts/get echo__greet')?.attributes).toMatchObject({ 'mcp.method.name': 'prompts/get', 'gen_ai.prompt.name': 'echo__greet' });

    // The downstream received rea's span context, so its own spans join the trace.
    const seen = JSON.parse((meta.content as { text: string }[])[0]!.text) as Record<string, string>;
    const metaSpan = r.spans.find((s) => s.name === 'tools/call meta__meta')!;
    const downstream = r.spans.find((s) => s.name === 'rea.downstream' && s.parentSpanId === metaSpan.spanId)!;
    expect(seen['traceparent']).toBe(`00-${metaSpan.traceId}-${downstream.spanId}-01`);

    await vi.waitFor(() => expect(r.metricNames).toContain('mcp.server.operation.duration'), WAIT);
    expect([...r.metricNames]).toEqual(expect.arrayContaining(['rea.calls', 'rea.audit.appends', 'rea.audit.write.duration']));
  });

  it('marks a tool result with isError as error.type tool_error, and a denial with its code', async () => {
    receiver = await OtlpReceiver.start();
    scope.repo = tempRepo({ servers: [fixtureEntry('echo', 'echo')], policy: 'version: "1"\nautonomy_level: L0\n' });
    scope.gw = await startGateway({ root: scope.repo.root, env: otelEnv(receiver) });
    await scope.gw.client.callTool({ name: 'echo__write_value', arguments: { key: 'k', value: 'v' } });
    const r = receiver;
    await vi.waitFor(() => expect(r.spans.find((s) => s.name === 'tools/call echo__write_value')).toBeDefined(), WAIT);
    expect(r.spans.find((s) => s.name === 'tools/call echo__write_value')?.attributes).toMatchObject({
      'error.type': 'tool_error',
      'rea.decision': 'deny',
      'rea.deny_code': 'tier',
    });
  });
});

describe('audit records as OTLP log records (issue 13)', () => {
  const scope = useGatewayScope();
  let receiver: OtlpReceiver | undefined;
  afterEach(async () => {
    await receiver?.stop();
    receiver = undefined;
  });

  it('ships every record with its hash and chain position, and the dump of bodies verifies', async () => {
    receiver = await OtlpReceiver.start();
    scope.repo = tempRepo({ servers: [fixtureEntry('echo', 'echo')] });
    scope.gw = await startGateway({ root: scope.repo.root, env: otelEnv(receiver) });
    for (let i = 0; i < 5; i += 1) await scope.gw.client.callTool({ name: 'echo__echo', arguments: { text: `n${i}` } });
    const root = scope.repo.root;
    const r = receiver;
    await vi.waitFor(() => expect(r.uniqueBodies().length).toBe(readAudit(root).length), WAIT);
    const local = readFileSync(join(root, '.rea', 'audit.jsonl'), 'utf8').split('\n').filter(Boolean);
    expect(r.uniqueBodies()).toEqual(local);
    const first = r.logs[0]!;
    const record = JSON.parse(String(first.body)) as Record<string, unknown>;
    expect(first.attributes).toMatchObject({ 'rea.audit.seq': record['seq'], 'rea.audit.hash': record['hash'], 'rea.audit.prev_hash': record['prev_hash'], 'rea.session.id': record['session_id'], 'rea.server': record['server_name'], 'rea.tool': record['tool_name'], 'rea.status': record['status'] });
    const dump = join(root, 'dump.jsonl');
    r.writeDump(dump);
    const verify = spawnSync(process.execPath, [CLI, 'audit', 'verify', '--file', dump, '--dir', root], { encoding: 'utf8' });
    expect(verify.stdout).toContain('Audit chain verified');
    expect(verify.status).toBe(0);
    await vi.waitFor(() => expect((status(root)['telemetry'] as { audit_export: { lag_records: number; state: string } }).audit_export).toMatchObject({ state: 'up', lag_records: 0 }), WAIT);
  });

  it('rea audit verify --file reports an edited record in a dump', async () => {
    scope.repo = tempRepo({ servers: [fixtureEntry('echo', 'echo')] });
    scope.gw = await startGateway({ root: scope.repo.root });
    await scope.gw.client.callTool({ name: 'echo__echo', arguments: { text: 'x' } });
    await scope.gw.close();
    delete scope.gw;
    const lines = readFileSync(join(scope.repo.root, '.rea', 'audit.jsonl'), 'utf8').split('\n').filter(Boolean);
    lines[1] = lines[1]!.replace('"status":"allowed"', '"status":"denied"');
    const dump = scope.repo.write('dump.jsonl', `${lines.join('\n')}\n`);
    const verify = spawnSync(process.execPath, [CLI, 'audit', 'verify', '--file', dump, '--dir', scope.repo.root], { encoding: 'utf8' });
    expect(verify.status).toBe(1);
    expect(verify.stdout).toContain('BROKEN at dump.jsonl line 2');
  });

  it('rea audit ship sends what was written while no gateway ran, over http/protobuf, and the cursor makes a second run send nothing', async () => {
    receiver = await OtlpReceiver.start();
    scope.repo = tempRepo({ servers: [fixtureEntry('echo', 'echo')] });
    scope.gw = await startGateway({ root: scope.repo.root });
    await scope.gw.client.callTool({ name: 'echo__echo', arguments: { text: 'offline' } });
    await scope.gw.close();
    delete scope.gw;
    const root = scope.repo.root;
    const env = { ...process.env, ...otelEnv(receiver, 'http/protobuf') };
    const first = (await run(process.execPath, [CLI, 'audit', 'ship', '--dir', root], { encoding: 'utf8', env })).stdout;
    const count = readAudit(root).length;
    expect(first).toContain(`Shipped ${count} record(s) to ${receiver.url}/v1/logs`);
    expect(receiver.logs.every((l) => l.encoding === 'protobuf')).toBe(true);
    expect(receiver.uniqueBodies()).toEqual(readFileSync(join(root, '.rea', 'audit.jsonl'), 'utf8').split('\n').filter(Boolean));
    const second = (await run(process.execPath, [CLI, 'audit', 'ship', '--dir', root], { encoding: 'utf8', env })).stdout;
    expect(second).toContain('Shipped 0 record(s)');
    expect(receiver.logs).toHaveLength(count);
  });
});

describe('telemetry configuration errors at start (issue 13)', () => {
  const scope = useGatewayScope();

  it('reports an endpoint that is not a URL and a protocol it does not speak, and still serves', async () => {
    for (const [env, expected] of [
      [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318 ' }, 'OTEL_EXPORTER_OTLP_ENDPOINT is `collector:4318`; OTLP/HTTP needs an http:// or https:// URL, so traces export is off'],
      [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }, 'OTEL_EXPORTER_OTLP_PROTOCOL is `grpc`; rea exports over http/json or http/protobuf only, so OpenTelemetry export is off (set one of those)'],
    ] as const) {
      scope.repo = tempRepo({ servers: [fixtureEntry('echo', 'echo')] });
      scope.gw = await startGateway({ root: scope.repo.root, env });
      expect(logRecords(scope.gw.stderr).some((l) => l['msg'] === expected)).toBe(true);
      const result = await scope.gw.client.callTool({ name: 'echo__echo', arguments: { text: 'serving' } });
      expect(result.isError).toBeFalsy();
      const root = scope.repo.root;
      await vi.waitFor(() => expect((status(root)['telemetry'] as { problems: string[] }).problems).toContain(expected), WAIT);
      await scope.gw.close();
      scope.repo.cleanup();
      delete scope.gw;
      delete scope.repo;
    }
  });

  it('shows the audit export state in the health tool, without error strings', async () => {
    const receiver = await OtlpReceiver.start();
    try {
      receiver.refuseWith = 400;
      scope.repo = tempRepo({ servers: [fixtureEntry('echo', 'echo')] });
      scope.gw = await startGateway({ root: scope.repo.root, env: otelEnv(receiver) });
      const client = scope.gw.client;
      await vi.waitFor(async () => {
        const health = (await client.callTool({ name: '__rea__health', arguments: {} })).structuredContent as Record<string, unknown>;
        expect(health['telemetry']).toEqual({ traces: expect.any(String), metrics: expect.any(String), audit_export: { state: 'paused', lag_records: expect.any(Number), behind: false } });
      }, WAIT);
    } finally {
      await receiver.stop();
    }
  });
});

describe('telemetry off costs nothing (issue 13)', () => {
  const scope = useGatewayScope();
  const preload = join(REPO_ROOT, 'test', 'fixtures', 'hooks', 'log-module-loads.mjs');

  it('loads no OpenTelemetry or Prometheus module unless telemetry is configured', async () => {
    scope.repo = tempRepo({ servers: [fixtureEntry('echo', 'echo')] });
    const loads = join(scope.repo.root, 'loads-off.txt');
    scope.gw = await startGateway({ root: scope.repo.root, env: { NODE_OPTIONS: `--import=${preload}`, REA_TEST_MODULE_LOG: loads } });
    await scope.gw.client.callTool({ name: 'echo__echo', arguments: { text: 'off' } });
    await scope.gw.close();
    delete scope.gw;
    expect(existsSync(loads)).toBe(false);

    // The same probe sees them as soon as telemetry is on.
    const loadsOn = join(scope.repo.root, 'loads-on.txt');
    scope.repo.write('.rea/policy.yaml', 'version: "1"\ntelemetry:\n  prometheus: { listen: "127.0.0.1:0" }\n');
    scope.gw = await startGateway({ root: scope.repo.root, env: { NODE_OPTIONS: `--import=${preload}`, REA_TEST_MODULE_LOG: loadsOn } });
    await scope.gw.client.callTool({ name: 'echo__echo', arguments: { text: 'on' } });
    expect(readFileSync(loadsOn, 'utf8')).toContain('prom-client');
  });
});
