import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { mkdtemp, readFile, rm, appendFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditLog, verifyChain, GENESIS_HASH } from '../../../src/audit/index.js';
import { withAuditLock } from '../../../src/audit/lock.js';
import type { AuditRecord } from '../../../src/audit/index.js';

let dir: string;
let path: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rea-audit-'));
  path = join(dir, '.rea', 'audit.jsonl');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function lines(p = path): Promise<AuditRecord[]> {
  const text = await readFile(p, 'utf8');
  return text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as AuditRecord);
}

describe('AuditLog', () => {
  it('chains records from genesis with seq and resolves only once they are in the file', async () => {
    const log = await AuditLog.open(path, { sessionId: 's1' });
    const a = await log.append({ tool_name: 'read_file', server_name: 'fs' });
    expect((await lines()).at(-1)?.hash).toBe(a.hash);
    const b = await log.append({ tool_name: 'write_file', server_name: 'fs', tier: 'write', status: 'denied' });
    await log.close();
    expect(a.prev_hash).toBe(GENESIS_HASH);
    expect(a.seq).toBe(0);
    expect(b.prev_hash).toBe(a.hash);
    expect(b.seq).toBe(1);
    expect(await lines()).toEqual([a, b]);
    const report = await verifyChain({ files: [path] });
    expect(report.ok).toBe(true);
    expect(report.records).toBe(2);
  });

  it.each([
    ['relaxed', 2],
    ['durable', 11],
  ] as const)('with %s durability, a lingering writer writes appends arriving one by one in %i batches', async (durability, batches) => {
    // Timers and the clock are faked (the write itself is real): the linger timer ends the gathering,
    // and a loaded machine cannot run the writer past its hold time between two appends.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    try {
      const log = await AuditLog.open(path, { sessionId: 's1', durability });
      void log.append({ tool_name: 'first', server_name: 'fs' });
      // Not vi.waitFor: with fake timers it advances them, which would end the writer's linger early.
      while (log.getStats().batches < 1) await new Promise((resolve) => setImmediate(resolve));
      const rest: Promise<AuditRecord>[] = [];
      for (let i = 0; i < 10; i += 1) {
        rest.push(log.append({ tool_name: `t${i}`, server_name: 'fs' }));
        await new Promise((resolve) => setImmediate(resolve));
        if (durability === 'durable') await rest.at(-1);
      }
      await vi.advanceTimersByTimeAsync(5);
      await Promise.all(rest);
      expect(log.getStats().batches).toBe(batches);
      await log.close();
      expect((await lines()).map((r) => r.tool_name)).toEqual(['first', ...Array.from({ length: 10 }, (_, i) => `t${i}`)]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('with relaxed durability, closing writes what the lingering writer has gathered at once', async () => {
    // The linger's timer is faked and never run: only close can end the gathering.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    try {
      const log = await AuditLog.open(path, { sessionId: 's1', durability: 'relaxed' });
      await log.append({ tool_name: 'first', server_name: 'fs' });
      for (let i = 0; i < 3; i += 1) log.appendUnawaited({ tool_name: `gathered${i}`, server_name: 'fs' });
      await new Promise((resolve) => setImmediate(resolve));
      expect(log.getStats().batches).toBe(1);
      await log.close();
      expect((await lines()).map((r) => r.tool_name)).toEqual(['first', 'gathered0', 'gathered1', 'gathered2']);
    } finally {
      vi.useRealTimers();
    }
  });

  it('with durable durability, a batch after one that had company waits for as many records (group commit)', async () => {
    // The wait's timer is faked, so only the second record can end it; the writes are real.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    try {
      const log = await AuditLog.open(path, { sessionId: 's1', durability: 'durable' });
      // The first append starts a write on its own; the two behind it share the next one.
      await Promise.all(['a', 'b', 'c'].map((t) => log.append({ tool_name: t, server_name: 'fs' })));
      expect(log.getStats().batches).toBe(2);
      let dWritten = false;
      const d = log.append({ tool_name: 'd', server_name: 'fs' }).then((r) => ((dWritten = true), r));
      // Long enough for a write of d alone to finish (the writer does not wait for company).
      for (let turn = 0; turn < 2000 && !dWritten; turn += 1) await new Promise((resolve) => setImmediate(resolve));
      expect(dWritten).toBe(false);
      const e = log.append({ tool_name: 'e', server_name: 'fs' });
      const [rd, re] = await Promise.all([d, e]);
      expect(log.getStats().batches).toBe(3);
      expect([rd.seq, re.seq]).toEqual([3, 4]);
      await log.close();
    } finally {
      vi.useRealTimers();
    }
  });

  it('shares one batch between concurrent appends and keeps every record in one chain', async () => {
    const log = await AuditLog.open(path, { sessionId: 's1' });
    const records = await Promise.all(Array.from({ length: 200 }, (_, i) => log.append({ tool_name: `t${i}`, server_name: 'fs' })));
    const stats = log.getStats();
    await log.close();
    expect(stats.appended).toBe(200);
    expect(stats.batches).toBeLessThan(200);
    expect(new Set(records.map((r) => r.seq)).size).toBe(200);
    expect((await verifyChain({ files: [path] })).ok).toBe(true);
  });

  it('continues the chain of a log another writer extended since the last append', async () => {
    const first = await AuditLog.open(path, { sessionId: 'a' });
    const second = await AuditLog.open(path, { sessionId: 'b' });
    await first.append({ tool_name: 'one', server_name: 'x' });
    await second.append({ tool_name: 'two', server_name: 'x' });
    await first.append({ tool_name: 'three', server_name: 'x' });
    await first.close();
    await second.close();
    expect((await lines()).map((r) => [r.tool_name, r.seq])).toEqual([['one', 0], ['two', 1], ['three', 2]]);
    expect((await verifyChain({ files: [path] })).ok).toBe(true);
  });

  it('moves a torn last line aside as evidence and records the recovery', async () => {
    const log = await AuditLog.open(path, { sessionId: 's' });
    const a = await log.append({ tool_name: 'one', server_name: 'x' });
    await log.close();
    await appendFile(path, '{"timestamp":"2026-01-01T00:00:00.000Z","sess');
    const reopened = await AuditLog.open(path, { sessionId: 's' });
    await reopened.append({ tool_name: 'two', server_name: 'x' });
    await reopened.close();
    const records = await lines();
    expect(records.map((r) => r.tool_name)).toEqual(['one', 'rea.audit.recovery', 'two']);
    expect(records[1]?.prev_hash).toBe(a.hash);
    expect(records[1]?.metadata).toMatchObject({ reason: 'torn_tail', torn_bytes: Buffer.byteLength('{"timestamp":"2026-01-01T00:00:00.000Z","sess') });
    const evidence = (await readdir(join(dir, '.rea'))).filter((n) => n.startsWith('audit.torn-'));
    expect(evidence).toHaveLength(1);
    expect(await readFile(join(dir, '.rea', evidence[0] ?? ''), 'utf8')).toBe('{"timestamp":"2026-01-01T00:00:00.000Z","sess');
    expect((await verifyChain({ files: [path] })).ok).toBe(true);
  });

  it('continues from a hash-mismatched last line instead of restarting at genesis, and says so', async () => {
    const log = await AuditLog.open(path, { sessionId: 's' });
    await log.append({ tool_name: 'one', server_name: 'x' });
    const b = await log.append({ tool_name: 'two', server_name: 'x' });
    await log.close();
    const text = await readFile(path, 'utf8');
    await writeFile(path, text.replace('"tool_name":"two"', '"tool_name":"TWO"'));
    const reopened = await AuditLog.open(path, { sessionId: 's' });
    await reopened.close();
    const records = await lines();
    expect(records[2]?.tool_name).toBe('rea.audit.recovery');
    expect(records[2]?.prev_hash).toBe(b.hash);
    expect(records[2]?.metadata).toMatchObject({ reason: 'tail_hash_mismatch', stored_hash: b.hash });
    const report = await verifyChain({ files: [path] });
    expect(report.firstBreak).toMatchObject({ line: 2, record: 2, reason: 'edited' });
  });
});

describe('AuditLog append deadlines', () => {
  const timers = (): number => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
  /** Another process's hold, as far as the log can tell: the same lock, taken outside it, until released. */
  async function holdLockElsewhere(): Promise<{ holder: Promise<void>; release: () => void }> {
    let release!: () => void;
    let held!: () => void;
    const isHeld = new Promise<void>((resolve) => (held = resolve));
    const holder = withAuditLock(path, { deadline: Date.now() + 10_000 }, () => {
      held();
      return new Promise<void>((resolve) => (release = resolve));
    });
    await isHeld;
    return { holder, release };
  }

  it('bounds every waiting append with one shared timer, times each out, and records the loss instead of them', async () => {
    const log = await AuditLog.open(path, { sessionId: 's1', writeTimeoutMs: 300 });
    await log.append({ tool_name: 'before', server_name: 'fs' });
    const baseline = timers();
    const { holder, release } = await holdLockElsewhere();
    const waiting = Array.from({ length: 200 }, (_, i) => log.append({ tool_name: `t${i}`, server_name: 'fs' }));
    // A timer per append would be 200 here. The shared deadline, the writer's lock retry and the
    // linger of the append before may come and go around the baseline: a few, never one per append.
    expect(timers() - baseline).toBeLessThan(10);
    const outcomes = await Promise.allSettled(waiting);
    expect(outcomes.every((o) => o.status === 'rejected' && /timed out after 300 ms/.test(String(o.reason)))).toBe(true);
    release();
    await holder;
    await log.append({ tool_name: 'after', server_name: 'fs' });
    await log.close();
    const written = await lines();
    expect(written.map((r) => r.tool_name)).toEqual(['before', 'rea.audit.write_failed', 'after']);
    expect(written[1]?.metadata).toMatchObject({ lost_records: 200 });
  });

  it('fails an append past its deadline as timed out even when the lock gives up before the shared timer fires', async () => {
    const log = await AuditLog.open(path, { sessionId: 's1', writeTimeoutMs: 300 });
    const { holder, release } = await holdLockElsewhere();
    // The shared deadline timer is faked and never run; the clock jumps past the deadline, so the
    // writer's lock retry (real timers) is first to see it.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    let outcome: PromiseSettledResult<AuditRecord>;
    try {
      const waiting = log.append({ tool_name: 'late', server_name: 'fs' });
      vi.setSystemTime(Date.now() + 301);
      [outcome] = await Promise.allSettled([waiting]);
    } finally {
      vi.useRealTimers();
    }
    expect(outcome.status === 'rejected' && String(outcome.reason)).toMatch(/timed out after 300 ms/);
    release();
    await holder;
    await log.append({ tool_name: 'after', server_name: 'fs' });
    await log.close();
    const written = await lines();
    expect(written.map((r) => r.tool_name)).toEqual(['rea.audit.write_failed', 'after']);
    expect(written[0]?.metadata).toMatchObject({ lost_records: 1, records: [{ tool_name: 'late', fate: 'failed' }] });
  });

  it('stops holding the process open once no append waits', async () => {
    const baseline = timers();
    const log = await AuditLog.open(path, { sessionId: 's1' });
    await Promise.all(Array.from({ length: 20 }, (_, i) => log.append({ tool_name: `t${i}`, server_name: 'fs' })));
    // The writer lingers a few milliseconds with the lock after its last batch (log-writer LINGER_MS);
    // polled on the event loop, as vi.waitFor's own timers would be counted.
    while (timers() !== baseline) await new Promise((resolve) => setImmediate(resolve));
    await log.close();
  });
});
