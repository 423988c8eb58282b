// Allocation per governed call (issue 11 target: at most 15 KB): the tool pipeline as `rea serve`
// builds it, in-process, 8 in flight, relaxed and durable audit. Run with a young generation large
// enough that no collection happens inside a measured window (run.mjs passes the flags), so the
// growth of the heap over the window is what the calls allocated. Windows with a GC are discarded.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PerformanceObserver } from 'node:perf_hooks';
import { setImmediate as nextTurn, setTimeout as delay } from 'node:timers/promises';
import { PolicySource } from '../dist/config/policy-source.js';
import { stageLists } from '../dist/chain/pipeline.js';
import { compose } from '../dist/chain/compose.js';
import { scanOptionsSource } from '../dist/gateway/serve/content-security-wiring.js';
import { AuditLog } from '../dist/audit/index.js';
import { auditOptionsFrom, recordScrubber } from '../dist/gateway/serve/audit-wiring.js';
import { newRequestContext } from '../dist/gateway/surfaces/request-context.js';
import { fmt, median } from './stats.mjs';

if (typeof globalThis.gc !== 'function') {
  console.error('bench/alloc.mjs needs --expose-gc (npm run bench passes it)');
  process.exit(1);
}
const WINDOW = 800;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const IN_FLIGHT = 8;
const NO_SECRETS = [];

let gcs = 0;
new PerformanceObserver((list) => (gcs += list.getEntries().length)).observe({ entryTypes: ['gc'] });

async function variant(durability) {
  const root = mkdtempSync(join(tmpdir(), 'rea-bench-alloc-'));
  mkdirSync(join(root, '.rea'));
  writeFileSync(join(root, '.rea', 'policy.yaml'), `version: "1"\nautonomy_level: L3\nmax_autonomy_level: L3\naudit:\n  durability: ${durability}\n`);
  const source = new PolicySource({ root });
  const current = () => source.current();
  // As `rea serve` builds them (serve/assemble.ts): one scan options source, its redactor scrubbing every record.
  const scanOptions = scanOptionsSource(current, () => NO_SECRETS);
  const scrub = recordScrubber(() => scanOptions().redactor);
  const auditLog = await AuditLog.open(join(root, '.rea', 'audit.jsonl'), auditOptionsFrom(current().policy, 'bench', undefined, scrub));
  const lists = stageLists({
    root, haltPath: join(root, '.rea', 'HALT'), tierOverrides: () => undefined, auditLog: () => auditLog,
    scanOptions, breakerOf: () => undefined,
  });
  const run = compose(lists.tool);
  const core = { sessionId: 'bench', governance: { policy: current } };
  const signal = new AbortController().signal;
  const call = async (i) => {
    const params = { name: 'echo__echo', arguments: { text: `hello ${i}` } };
    const ctx = newRequestContext(core, {
      surface: 'tool', server: 'echo', serverCwd: root, name: 'echo', exposedName: 'echo__echo', params, args: params.arguments,
      hints: { readOnlyHint: true }, signal, forward: async (args) => ({ content: [{ type: 'text', text: `Echo: ${args.text}` }] }),
    });
    await run(ctx);
  };
  const calls = async (n) => {
    for (let i = 0; i < n; i += IN_FLIGHT) {
      await Promise.all(Array.from({ length: IN_FLIGHT }, (_, k) => call(i + k)));
      await nextTurn();
    }
  };
  await calls(5000); // warm-up
  const samples = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    globalThis.gc();
    // The observer hears of that collection a little later: let it, so it is not counted in the window.
    await delay(20);
    const seen = gcs;
    const before = process.memoryUsage().heapUsed;
    await calls(WINDOW);
    const after = process.memoryUsage().heapUsed;
    await delay(20);
    if (gcs === seen) samples.push((after - before) / WINDOW / 1024);
  }
  await auditLog.close();
  source.close();
  rmSync(root, { recursive: true, force: true });
  return samples;
}

console.log(`\n## Allocation per governed call (tool pipeline, in-process, ${IN_FLIGHT} in flight; KB per call, median of ${ROUNDS} windows of ${WINDOW} calls)`);
for (const durability of ['relaxed', 'durable']) {
  const samples = await variant(durability);
  console.log(`${`chain, ${durability} audit`.padEnd(24)}${(samples.length ? fmt(median(samples), 1) : 'n/a').padStart(8)} KB   (target: at most 15 KB)`);
}
