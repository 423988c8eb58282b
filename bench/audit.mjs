// Audit log benchmark: durable append throughput (sequential and 8-way concurrent), append
// latency with 0 / 100k / 1M records already in the log, and verify speed. Uses the built dist/.
import { mkdir, mkdtemp, open, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { constants, write, writeSync, openSync, closeSync } from 'node:fs';
import { AuditLog, buildRecord, recordLine, verifyChain, GENESIS_HASH } from '../dist/audit/index.js';
import { withAuditLock } from '../dist/audit/lock.js';

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const input = (i) => ({ tool_name: 'write_file', server_name: 'filesystem', tier: 'write', autonomy_level: 'L2', duration_ms: 3, call_id: `c-${i}`, phase: 'outcome', surface: 'tool', args_digest: 'a'.repeat(64), metadata: { bytes: i } });
const root = await mkdtemp(join(tmpdir(), 'rea-bench-audit-'));
const results = {};

async function sequential(n) {
  const path = join(root, `seq-${n}`, 'audit.jsonl');
  const log = await AuditLog.open(path, { sessionId: 'bench' });
  const lat = [];
  const t0 = performance.now();
  for (let i = 0; i < n; i += 1) {
    const s = performance.now();
    await log.append(input(i));
    lat.push(performance.now() - s);
  }
  const secs = (performance.now() - t0) / 1000;
  await log.close();
  return { perSec: n / secs, p50: median(lat) };
}

async function concurrent(n, width) {
  const path = join(root, `conc-${width}`, 'audit.jsonl');
  const log = await AuditLog.open(path, { sessionId: 'bench' });
  let next = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < n) await log.append(input(next++));
  }));
  const secs = (performance.now() - t0) / 1000;
  const stats = log.getStats();
  await log.close();
  return { perSec: n / secs, batches: stats.batches };
}

/** Writes `n` chained records straight to the file (fast), as a log that grew to that size. */
async function prefilled(n) {
  const dir = join(root, `pre-${n}`);
  const path = join(dir, 'audit.jsonl');
  await mkdir(dir, { recursive: true });
  const fh = await open(path, 'w');
  let prev = GENESIS_HASH;
  let chunk = [];
  for (let i = 0; i < n; i += 1) {
    const built = buildRecord(input(i), prev, i, 'bench');
    prev = built.record.hash;
    chunk.push(recordLine(built));
    if (chunk.length === 10_000) { await fh.write(chunk.join('\n') + '\n'); chunk = []; }
  }
  if (chunk.length > 0) await fh.write(chunk.join('\n') + '\n');
  await fh.sync();
  await fh.close();
  return path;
}

/**
 * The floor under every durable batch, without rea: one O_DSYNC append of a record-sized line,
 * done as the writer does it (on the thread pool), then synchronously for comparison, and a plain
 * page-cache append. CPU is the whole process's (the pool thread, the kernel's share of the sync,
 * the wake-ups), per write: divide by the batch size for what durability adds to each call.
 */
async function syncFloor(n = 1000) {
  const line = Buffer.from(`${recordLine(buildRecord(input(0), GENESIS_HASH, 0, 'bench'))}\n`);
  const dir = join(root, 'floor');
  await mkdir(dir, { recursive: true });
  const measure = async (flags, once) => {
    const fd = openSync(join(dir, `floor-${flags}.jsonl`), constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | flags, 0o644);
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    for (let i = 0; i < n; i += 1) await once(fd);
    const wallUs = ((performance.now() - t0) * 1000) / n;
    const cpu = process.cpuUsage(c0);
    closeSync(fd);
    return { cpuUs: (cpu.user + cpu.system) / n, wallUs };
  };
  const pooled = (fd) => new Promise((resolve, reject) => write(fd, line, 0, line.length, null, (error) => (error ? reject(error) : resolve())));
  const dsync = constants.O_DSYNC ?? 0;
  return {
    durablePooled: await measure(dsync, pooled),
    durableSync: await measure(dsync, async (fd) => writeSync(fd, line)),
    relaxed: await measure(0, async (fd) => writeSync(fd, line)),
  };
}

/** One take and release of the cross-process lock (a writer pays it once per hold, up to 20 ms). */
async function lockCycle(n = 2000) {
  const path = join(root, 'lock', 'audit.jsonl');
  await mkdir(join(root, 'lock'), { recursive: true });
  const once = () => withAuditLock(path, { deadline: Date.now() + 2000 }, async () => undefined);
  for (let i = 0; i < 200; i += 1) await once();
  const c0 = process.cpuUsage();
  for (let i = 0; i < n; i += 1) await once();
  const cpu = process.cpuUsage(c0);
  return (cpu.user + cpu.system) / n;
}

async function latencyAt(n, samples = 400) {
  const path = await prefilled(n);
  const log = await AuditLog.open(path, { sessionId: 'bench' });
  const lat = [];
  for (let i = 0; i < samples; i += 1) {
    const s = performance.now();
    await log.append(input(i));
    lat.push(performance.now() - s);
  }
  await log.close();
  return { path, p50: median(lat) };
}

try {
  const seqRuns = [];
  for (let r = 0; r < 3; r += 1) seqRuns.push(await sequential(2000));
  results.sequentialPerSec = median(seqRuns.map((x) => x.perSec));
  results.sequentialP50ms = median(seqRuns.map((x) => x.p50));
  const concRuns = [];
  for (let r = 0; r < 3; r += 1) concRuns.push(await concurrent(40_000, 8));
  results.concurrent8PerSec = median(concRuns.map((x) => x.perSec));
  results.concurrent64PerSec = (await concurrent(40_000, 64)).perSec;
  const floors = [];
  for (let r = 0; r < 3; r += 1) floors.push(await syncFloor());
  const floorOf = (key, field) => median(floors.map((f) => f[key][field]));
  results.syncFloor = Object.fromEntries(['durablePooled', 'durableSync', 'relaxed'].map((k) => [k, { cpuUs: floorOf(k, 'cpuUs'), wallUs: floorOf(k, 'wallUs') }]));
  results.lockCycleCpuUs = median([await lockCycle(), await lockCycle(), await lockCycle()]);
  const l0 = await latencyAt(0);
  const l100k = await latencyAt(100_000);
  const l1m = await latencyAt(1_000_000);
  results.appendP50ms = { empty: l0.p50, at100k: l100k.p50, at1M: l1m.p50, ratio1MtoEmpty: l1m.p50 / l0.p50 };
  const size = (await stat(l1m.path)).size;
  const vruns = [];
  for (let r = 0; r < 3; r += 1) {
    const t0 = performance.now();
    const report = await verifyChain({ files: [l1m.path] });
    const secs = (performance.now() - t0) / 1000;
    if (!report.ok) throw new Error('bench log did not verify');
    vruns.push({ recordsPerSec: report.records / secs, mbPerSec: size / 1e6 / secs });
  }
  results.verify = { records: 1_000_000 + 400, MB: size / 1e6, recordsPerSec: median(vruns.map((v) => v.recordsPerSec)), MBPerSec: median(vruns.map((v) => v.mbPerSec)) };
  const r = results;
  process.stdout.write([
    `audit: sequential durable append  ${r.sequentialPerSec.toFixed(0)} records/s (p50 ${r.sequentialP50ms.toFixed(3)} ms)`,
    `audit: 8-way concurrent durable    ${r.concurrent8PerSec.toFixed(0)} records/s (target >= 20000)`,
    `audit: 64-way concurrent durable   ${r.concurrent64PerSec.toFixed(0)} records/s`,
    `audit: one O_DSYNC append, no rea: ${r.syncFloor.durablePooled.cpuUs.toFixed(0)} µs CPU / ${r.syncFloor.durablePooled.wallUs.toFixed(0)} µs wall on the thread pool, ${r.syncFloor.durableSync.cpuUs.toFixed(0)} / ${r.syncFloor.durableSync.wallUs.toFixed(0)} µs synchronous; a page-cache append ${r.syncFloor.relaxed.cpuUs.toFixed(1)} µs CPU (the floor of every durable batch)`,
    `audit: lock + release ${r.lockCycleCpuUs.toFixed(0)} µs CPU (mkdir, stat, rmdir; once per lock hold)`,
    `audit: append p50 empty ${r.appendP50ms.empty.toFixed(3)} ms, 100k ${r.appendP50ms.at100k.toFixed(3)} ms, 1M ${r.appendP50ms.at1M.toFixed(3)} ms (1M/empty ${r.appendP50ms.ratio1MtoEmpty.toFixed(2)}, target <= 1.10)`,
    `audit: verify ${r.verify.recordsPerSec.toFixed(0)} records/s, ${r.verify.MBPerSec.toFixed(0)} MB/s over ${r.verify.MB.toFixed(0)} MB (target >= 200 MB/s)`,
    `${JSON.stringify({ bench: 'audit', ...r })}`,
  ].join('\n') + '\n');
} finally {
  await rm(root, { recursive: true, force: true });
}
