import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, mkdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditLog, verifyChain } from '../../../src/audit/index.js';
import type { AuditRecord } from '../../../src/audit/index.js';

let root: string;
let auditPath: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'rea-unawaited-'));
  auditPath = join(root, '.rea', 'audit.jsonl');
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const readRecords = async (): Promise<AuditRecord[]> => (await readFile(auditPath, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as AuditRecord);

describe('AuditLog.appendUnawaited (a relaxed outcome record with telemetry off)', () => {
  it('writes the record into the chain like append does', async () => {
    const log = await AuditLog.open(auditPath, { sessionId: 's', durability: 'relaxed' });
    log.appendUnawaited({ tool_name: 'first', server_name: 'srv' });
    await log.append({ tool_name: 'second', server_name: 'srv' });
    await log.close();
    expect((await readRecords()).map((r) => r.tool_name)).toEqual(['first', 'second']);
    expect((await verifyChain({ files: [auditPath] })).ok).toBe(true);
  });

  it('counts a record it could not write and notes the loss in the log once writing works again', async () => {
    const log = await AuditLog.open(auditPath, { sessionId: 's', durability: 'relaxed', writeTimeoutMs: 300 });
    const lock = join(root, '.rea.lock');
    await mkdir(lock);
    log.appendUnawaited({ tool_name: 'blocked', server_name: 'srv', call_id: 'c1' });
    await expect.poll(() => log.getStats().failures, { timeout: 5000 }).toBeGreaterThanOrEqual(1);
    await rm(lock, { recursive: true });
    await log.append({ tool_name: 'later', server_name: 'srv' });
    await log.close();
    const records = await readRecords();
    expect(records.map((r) => r.tool_name)).toEqual(['rea.audit.write_failed', 'later']);
    expect(records[0]?.metadata).toMatchObject({ lost_records: 1, records: [{ call_id: 'c1', tool_name: 'blocked' }] });
  });

  it('drops a record given after close without throwing, as an ignored append rejection would', async () => {
    const log = await AuditLog.open(auditPath, { sessionId: 's', durability: 'relaxed' });
    await log.close();
    expect(() => log.appendUnawaited({ tool_name: 'late', server_name: 'srv' })).not.toThrow();
  });
});
