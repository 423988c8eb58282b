import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuditLog, appendAuditRecord, verifyChain } from '../../../src/audit/index.js';
import { AuditShipper } from '../../../src/audit/shipper/shipper.js';
import { cursorPath } from '../../../src/audit/shipper/cursor.js';
import { OtlpReceiver } from '../../helpers/otlp-receiver.js';

let dir: string;
let auditPath: string;
let receiver: OtlpReceiver;
const shippers: AuditShipper[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rea-ship-'));
  auditPath = join(dir, '.rea', 'audit.jsonl');
  receiver = await OtlpReceiver.start();
});
afterEach(async () => {
  await Promise.all(shippers.splice(0).map((s) => s.stop()));
  await receiver.stop();
  await rm(dir, { recursive: true, force: true });
});

function shipper(batchRecords = 512): AuditShipper {
  const url = `${receiver.url}/v1/logs`;
  const s = new AuditShipper({
    auditPath,
    reaDir: join(dir, '.rea'),
    url,
    exporter: new OTLPLogExporter({ url }),
    resource: resourceFromAttributes({ 'service.name': 'rea-test' }),
    batchRecords,
    maxLagRecords: 3,
    pollMs: 50,
    maxBackoffMs: 100,
  });
  shippers.push(s);
  return s;
}

async function write(count: number, from = 0): Promise<void> {
  const log = await AuditLog.open(auditPath, { sessionId: 'ship-test' });
  for (let i = 0; i < count; i += 1) await log.append({ tool_name: `t${from + i}`, server_name: 'fs' });
  await log.close();
}

/** Every line of every file of the chain, oldest first. */
async function chainLines(): Promise<string[]> {
  const reaDir = join(dir, '.rea');
  const rotated = (await readdir(reaDir)).filter((n) => /^audit-\d{8}-\d{6}(-\d+)?\.jsonl$/.test(n)).sort();
  const texts = await Promise.all([...rotated.map((n) => join(reaDir, n)), auditPath].map((f) => readFile(f, 'utf8')));
  return texts.flatMap((t) => t.split('\n').filter(Boolean));
}

async function dumpVerifies(): Promise<boolean> {
  const dump = join(dir, 'dump.jsonl');
  receiver.writeDump(dump);
  return (await verifyChain({ files: [dump], dropDuplicates: true })).ok;
}

describe('AuditShipper', () => {
  it('ships from the oldest record when there is no cursor, then only what is new', async () => {
    await write(3);
    const s = shipper();
    expect(await s.shipAll()).toEqual({ shipped: 3 });
    await write(2, 3);
    expect(await s.shipAll()).toEqual({ shipped: 2 });
    expect(receiver.uniqueBodies()).toEqual(await chainLines());
    expect(receiver.logs).toHaveLength(5);
  });

  it('resends everything, never skips, when the cursor file is corrupt, and says why', async () => {
    await write(4);
    await shipper().shipAll();
    const file = cursorPath(join(dir, '.rea'), `${receiver.url}/v1/logs`);
    await writeFile(file, '{"version":1,"endpo');
    const s = shipper();
    expect(await s.shipAll()).toEqual({ shipped: 4 });
    expect(s.status().cursor_problem).toContain('is not JSON; shipping again from the oldest record');
    expect(receiver.logs).toHaveLength(8);
    expect(await dumpVerifies()).toBe(true);
  });

  it('resends from the oldest record when the cursor names a hash the log does not hold', async () => {
    await write(4);
    await shipper().shipAll();
    const file = cursorPath(join(dir, '.rea'), `${receiver.url}/v1/logs`);
    const cursor = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
    await writeFile(file, JSON.stringify({ ...cursor, seq: 1, hash: 'f'.repeat(64) }));
    const s = shipper();
    expect(await s.shipAll()).toEqual({ shipped: 4 });
    expect(s.status().cursor_problem).toContain('names seq 1 with hash ffffffffffff…, but the log holds');
  });

  it('follows a rotation while shipping: the rest of the rotated file, then the new one, in chain order', async () => {
    await write(6);
    const s = shipper(4);
    expect((await s.round()).kind).toBe('shipped');
    const log = await AuditLog.open(auditPath, { sessionId: 'ship-test' });
    expect((await log.rotateNow()).rotated).toBe(true);
    await log.append({ tool_name: 'after-rotation', server_name: 'fs' });
    await log.close();
    await s.shipAll();
    const lines = await chainLines();
    expect(receiver.uniqueBodies()).toEqual(lines);
    expect(receiver.logs).toHaveLength(lines.length);
    expect(await dumpVerifies()).toBe(true);
  });

  it('ships records other processes appended (hooks, CLI) and reports the lag against its bound', async () => {
    await appendAuditRecord(auditPath, { tool_name: 'Bash', server_name: 'claude-code', surface: 'native' });
    await write(5);
    const s = shipper(2);
    await s.round();
    expect(s.status()).toMatchObject({ lag_records: 4, behind: true, state: 'up' });
    await s.shipAll();
    expect(s.status()).toMatchObject({ lag_records: 0, behind: false });
    expect(JSON.parse(String(receiver.logs[0]!.body))).toMatchObject({ tool_name: 'Bash', server_name: 'claude-code' });
  });

  it('leaves the cursor where it was when the collector refuses', async () => {
    await write(2);
    receiver.refuseWith = 400;
    const s = shipper();
    expect(await s.shipAll()).toEqual({ shipped: 0, error: 'HTTP 400 Bad Request' });
    expect(s.status().cursor).toBeNull();
    receiver.refuseWith = undefined;
    expect(await s.shipAll()).toEqual({ shipped: 2 });
  });

  it('pauses with the HTTP status when the collector expects the other protocol, and sends once it accepts', async () => {
    await write(2);
    receiver.accepts = ['application/x-protobuf'];
    const s = shipper();
    expect(await s.shipAll()).toEqual({ shipped: 0, error: 'HTTP 415 Unsupported Media Type' });
    receiver.accepts = ['application/json'];
    expect(await s.shipAll()).toEqual({ shipped: 2 });
  });

  it('ships the signed checkpoints with the records, so the central copy verifies against the public key', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const log = await AuditLog.open(auditPath, { sessionId: 'ship-test', checkpoint: { key: privateKey, everyRecords: 2 } });
    for (let i = 0; i < 5; i += 1) await log.append({ tool_name: `t${i}`, server_name: 'fs' });
    await log.close();
    await shipper().shipAll();
    const dump = join(dir, 'dump.jsonl');
    receiver.writeDump(dump);
    const report = await verifyChain({ files: [dump], dropDuplicates: true, publicKey });
    expect(report.ok).toBe(true);
    expect(report.checkpoints).toBeGreaterThanOrEqual(2);
  });
});
