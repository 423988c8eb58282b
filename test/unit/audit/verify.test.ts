import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cp, mkdtemp, readFile, rm, writeFile, unlink, utimes, mkdir } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditLog, chainFiles, verifyChain } from '../../../src/audit/index.js';
import type { AuditRecord } from '../../../src/audit/index.js';

const FIXTURE = join(import.meta.dirname, '..', '..', 'fixtures', 'audit', 'rea-0.4');
let root: string;
let auditPath: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'rea-verify-'));
  auditPath = join(root, '.rea', 'audit.jsonl');
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

/** rea 0.4's verifier rule, restated: from genesis, re-hash JSON.stringify(record without hash). */
async function verifyLikeRea04(files: string[]): Promise<string | null> {
  let prev = '0'.repeat(64);
  for (const file of files) {
    const text = (await readFile(file, 'utf8')).replace(/\n$/, '');
    if (text === '') continue;
    for (const [i, line] of text.split('\n').entries()) {
      const { hash, ...rest } = JSON.parse(line) as AuditRecord;
      if (rest.prev_hash !== prev) return `${file}:${i + 1} prev`;
      if (createHash('sha256').update(JSON.stringify(rest)).digest('hex') !== hash) return `${file}:${i + 1} hash`;
      prev = hash;
    }
  }
  return null;
}

async function writeLog(n: number, options: Partial<Parameters<typeof AuditLog.open>[1]> = {}): Promise<AuditRecord[]> {
  const log = await AuditLog.open(auditPath, { sessionId: 's', ...options });
  const out: AuditRecord[] = [];
  for (let i = 0; i < n; i += 1) out.push(await log.append({ tool_name: `tool${i}`, server_name: 'srv', metadata: { i } }));
  await log.close();
  return out;
}

describe('verify', () => {
  it('accepts a log written by rea 0.4 with its rotated file, and our appends continue its chain', async () => {
    await cp(FIXTURE, root, { recursive: true });
    const scope = await chainFiles(auditPath, { all: true });
    expect((await verifyChain({ files: scope.files, startRule: scope.startRule })).ok).toBe(true);
    const before = (await readFile(auditPath, 'utf8')).trim().split('\n').at(-1) ?? '';
    const log = await AuditLog.open(auditPath, { sessionId: 'ours' });
    const appended = await log.append({ tool_name: 'read_file', server_name: 'filesystem' });
    await log.close();
    expect(appended.prev_hash).toBe((JSON.parse(before) as AuditRecord).hash);
    const report = await verifyChain({ files: scope.files, startRule: scope.startRule });
    expect(report).toMatchObject({ ok: true, records: 8 });
    expect(await verifyLikeRea04(scope.files)).toBeNull();
  });

  it('writes logs that rea 0.4 verifies, across our rotation too', async () => {
    await writeLog(5);
    const log = await AuditLog.open(auditPath, { sessionId: 's' });
    await log.rotateNow();
    await log.append({ tool_name: 'after', server_name: 'srv' });
    await log.close();
    const scope = await chainFiles(auditPath, { all: true });
    expect(scope.files).toHaveLength(2);
    expect(await verifyLikeRea04(scope.files)).toBeNull();
    expect((await verifyChain({ files: scope.files, startRule: scope.startRule })).ok).toBe(true);
  });

  it('rotates by size with a marker chained to the old tail and prunes beyond the retention count', async () => {
    const log = await AuditLog.open(auditPath, { sessionId: 's', rotation: { maxBytes: 2000, retain: 2 } });
    for (let i = 0; i < 40; i += 1) await log.append({ tool_name: `t${i}`, server_name: 'srv' });
    const stats = log.getStats();
    await log.close();
    expect(stats.rotations).toBeGreaterThan(2);
    const scope = await chainFiles(auditPath, { all: true });
    expect(scope.files).toHaveLength(3);
    const report = await verifyChain({ files: scope.files, startRule: scope.startRule });
    expect(report.ok).toBe(true);
  });

  it('reports a deleted rotated file in the middle of the chain at the marker that no longer links', async () => {
    const log = await AuditLog.open(auditPath, { sessionId: 's', rotation: { maxBytes: 1500 } });
    for (let i = 0; i < 30; i += 1) await log.append({ tool_name: `t${i}`, server_name: 'srv' });
    await log.close();
    const before = await chainFiles(auditPath, { all: true });
    expect(before.files.length).toBeGreaterThan(2);
    await unlink(before.files[1] ?? '');
    const after = await chainFiles(auditPath, { all: true });
    const report = await verifyChain({ files: after.files, startRule: after.startRule });
    expect(report.ok).toBe(false);
    expect(report.firstBreak).toMatchObject({ file: after.files[1]?.split('/').at(-1), line: 1, reason: 'deleted' });
  });

  it('reports a deleted oldest rotated file as a chain that does not start at genesis', async () => {
    const log = await AuditLog.open(auditPath, { sessionId: 's', rotation: { maxBytes: 1500 } });
    for (let i = 0; i < 20; i += 1) await log.append({ tool_name: `t${i}`, server_name: 'srv' });
    await log.close();
    const before = await chainFiles(auditPath, { all: true });
    await unlink(before.files[0] ?? '');
    const after = await chainFiles(auditPath, { all: true });
    const report = await verifyChain({ files: after.files, startRule: after.startRule });
    expect(report.firstBreak).toMatchObject({ line: 1, record: 1, reason: 'deleted' });
  });

  it('lists every unparseable line and reports the first one as the break', async () => {
    await writeLog(4);
    const lines = (await readFile(auditPath, 'utf8')).split('\n');
    lines.splice(1, 0, 'not json');
    lines.splice(4, 0, '{"also":"not a record"}');
    await writeFile(auditPath, lines.join('\n'));
    const report = await verifyChain({ files: [auditPath] });
    expect(report.firstBreak).toMatchObject({ line: 2, reason: 'unparseable' });
    expect(report.unparseable.map((u) => [u.line, u.detail])).toEqual([
      [2, expect.stringContaining('invalid JSON')],
      [5, 'not an audit record (no `hash`/`prev_hash`)'],
    ]);
  });

  it('appends despite a stale lock left by a killed process', async () => {
    await writeLog(1);
    const lock = join(root, '.rea.lock');
    await mkdir(lock);
    const old = new Date(Date.now() - 60_000);
    await utimes(lock, old, old);
    const log = await AuditLog.open(auditPath, { sessionId: 's', lockStaleMs: 2000 });
    await log.append({ tool_name: 'after-stale-lock', server_name: 'srv' });
    await log.close();
    expect((await verifyChain({ files: [auditPath] })).records).toBe(2);
  });

  it('rejects with AUDIT_WRITE_FAILED within the timeout while a live lock is held elsewhere, then records the loss', async () => {
    await writeLog(1);
    const lock = join(root, '.rea.lock');
    await mkdir(lock);
    const log = await AuditLog.open(auditPath, { sessionId: 's', writeTimeoutMs: 300 });
    await expect(log.append({ tool_name: 'blocked', server_name: 'srv', call_id: 'c9' })).rejects.toMatchObject({ code: 'AUDIT_WRITE_FAILED' });
    await rm(lock, { recursive: true });
    await log.append({ tool_name: 'later', server_name: 'srv' });
    await log.close();
    const records = (await readFile(auditPath, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as AuditRecord);
    expect(records.map((r) => r.tool_name)).toEqual(['tool0', 'rea.audit.write_failed', 'later']);
    expect(records[1]?.metadata).toMatchObject({ lost_records: 1, records: [{ call_id: 'c9', tool_name: 'blocked', fate: 'failed' }] });
  });

  it('keeps a record with huge metadata as a digest instead of failing or bloating the log', async () => {
    const log = await AuditLog.open(auditPath, { sessionId: 's' });
    const big = 'x'.repeat(3 * 1024 * 1024);
    const record = await log.append({ tool_name: 'big', server_name: 'srv', metadata: { big } });
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    const odd = await log.append({ tool_name: 'cyclic', server_name: 'srv', metadata: cyclic });
    await log.close();
    expect(record.metadata).toMatchObject({ metadata_truncated: true, metadata_bytes: 3 * 1024 * 1024 + 10 });
    expect(odd.metadata).toMatchObject({ metadata_unserializable: expect.stringContaining('circular') });
    expect((await verifyChain({ files: [auditPath] })).ok).toBe(true);
  });
});
