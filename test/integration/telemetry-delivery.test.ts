import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { isProcessAlive, startGateway, useGatewayScope } from '../helpers/gateway.js';
import { CLI, fixtureEntry, tempRepo } from '../helpers/temp-repo.js';
import { OtlpReceiver } from '../helpers/otlp-receiver.js';

const WAIT = { timeout: 20_000, interval: 50 };
const run = promisify(execFile);

/** Telemetry through the policy block: logs only, fast polling and short backoff for the test. */
function telemetryPolicy(receiver: OtlpReceiver): string {
  return [
    'version: "1"',
    'telemetry:',
    `  logs_endpoint: ${receiver.url}/v1/logs`,
    '  protocol: http/json',
    '  audit_export: { poll_ms: 100, max_backoff_ms: 200 }',
    '',
  ].join('\n');
}

function localLines(root: string): string[] {
  return readFileSync(join(root, '.rea', 'audit.jsonl'), 'utf8').split('\n').filter(Boolean);
}

async function exportStatus(root: string): Promise<Record<string, unknown>> {
  const { stdout } = await run(process.execPath, [CLI, 'status', '--json', '--dir', root], { encoding: 'utf8' }).catch((e: { stdout: string }) => e);
  const report = JSON.parse(stdout) as { telemetry: { audit_export: Record<string, unknown> } | null };
  return report.telemetry?.audit_export ?? {};
}

async function verifyDump(receiver: OtlpReceiver, root: string): Promise<{ code: number; stdout: string }> {
  const dump = join(root, 'central.jsonl');
  receiver.writeDump(dump);
  return run(process.execPath, [CLI, 'audit', 'verify', '--file', dump, '--dir', root], { encoding: 'utf8' }).then(
    (r) => ({ code: 0, stdout: r.stdout }),
    (e: { code: number; stdout: string }) => ({ code: e.code, stdout: e.stdout }),
  );
}

describe('audit export delivery: at least once, nothing lost (issue 13)', () => {
  const scope = useGatewayScope();
  let receiver: OtlpReceiver | undefined;
  afterEach(async () => {
    await receiver?.stop();
    receiver = undefined;
  });

  it('pauses while the collector answers 4xx or 5xx or is down, says so in status, and then delivers everything', async () => {
    receiver = await OtlpReceiver.start();
    const r = receiver;
    r.refuseWith = 400;
    scope.repo = tempRepo({ servers: [fixtureEntry('echo', 'echo')], policy: telemetryPolicy(r) });
    const root = scope.repo.root;
    scope.gw = await startGateway({ root });
    const call = (text: string) => scope.gw!.client.callTool({ name: 'echo__echo', arguments: { text } });
    await call('during 400');
    await vi.waitFor(async () => expect(await exportStatus(root)).toMatchObject({ state: 'paused', last_error: 'HTTP 400 Bad Request', cursor: null }), WAIT);
    expect(r.logs).toHaveLength(0);

    r.refuseWith = 500;
    await call('during 500');
    await vi.waitFor(async () => expect(await exportStatus(root)).toMatchObject({ state: 'paused', last_error: 'HTTP 500 Internal Server Error' }), WAIT);

    r.refuseWith = undefined;
    await vi.waitFor(() => expect(r.uniqueBodies()).toEqual(localLines(root)), WAIT);

    await r.stop();
    // The collector is down: calls are answered as usual; their records wait in the log.
    for (let i = 0; i < 3; i += 1) await call(`outage ${i}`);
    await r.listen();
    await vi.waitFor(() => expect(r.uniqueBodies()).toEqual(localLines(root)), WAIT);
    await vi.waitFor(async () => expect(await exportStatus(root)).toMatchObject({ state: 'up', lag_records: 0 }), WAIT);
    const verified = await verifyDump(r, root);
    expect(verified.stdout).toContain('Audit chain verified');
    expect(verified.code).toBe(0);
  });

  it('answers calls while a slow collector holds the export', async () => {
    receiver = await OtlpReceiver.start();
    const r = receiver;
    r.hold = true;
    scope.repo = tempRepo({ servers: [fixtureEntry('echo', 'echo')], policy: telemetryPolicy(r) });
    scope.gw = await startGateway({ root: scope.repo.root });
    await vi.waitFor(() => expect(r.pending).toBeGreaterThan(0), WAIT);
    for (let i = 0; i < 5; i += 1) {
      const result = await scope.gw.client.callTool({ name: 'echo__echo', arguments: { text: `while held ${i}` } });
      expect(result.isError).toBeFalsy();
    }
    expect(r.pending).toBeGreaterThan(0);
    r.release();
    const root = scope.repo.root;
    await vi.waitFor(() => expect(r.uniqueBodies()).toEqual(localLines(root)), WAIT);
  });

  it('keeps its cursor across kill -9: a new gateway resends nothing acknowledged and loses nothing written', async () => {
    receiver = await OtlpReceiver.start();
    const r = receiver;
    scope.repo = tempRepo({ servers: [fixtureEntry('echo', 'echo')], policy: telemetryPolicy(r) });
    const root = scope.repo.root;
    scope.gw = await startGateway({ root });
    for (let i = 0; i < 3; i += 1) await scope.gw.client.callTool({ name: 'echo__echo', arguments: { text: `before ${i}` } });
    await vi.waitFor(() => expect(r.uniqueBodies()).toEqual(localLines(root)), WAIT);
    const cursorFile = join(root, '.rea', 'ship', readdirSync(join(root, '.rea', 'ship')).find((f) => f.endsWith('.json'))!);
    await vi.waitFor(() => expect(JSON.parse(readFileSync(cursorFile, 'utf8')).seq).toBe(JSON.parse(localLines(root).at(-1)!).seq), WAIT);
    const acknowledged = JSON.parse(readFileSync(cursorFile, 'utf8')) as { seq: number };

    await r.stop();
    for (let i = 0; i < 3; i += 1) await scope.gw.client.callTool({ name: 'echo__echo', arguments: { text: `unshipped ${i}` } });
    const pid = scope.gw.pid;
    process.kill(pid, 'SIGKILL');
    await vi.waitFor(() => expect(isProcessAlive(pid)).toBe(false), WAIT);
    await scope.gw.close().catch(() => undefined);
    const beforeRestart = r.logs.length;

    await r.listen();
    scope.gw = await startGateway({ root });
    await vi.waitFor(() => expect(r.uniqueBodies()).toEqual(localLines(root)), WAIT);
    const resent = r.logs.slice(beforeRestart).map((l) => Number(l.attributes['rea.audit.seq']));
    expect(Math.min(...resent)).toBe(acknowledged.seq + 1);
    const verified = await verifyDump(r, root);
    expect(verified.code).toBe(0);
  });
});
