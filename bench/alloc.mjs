// Allocation per governed call (issue 11 target: at most 15 KB): the tool pipeline as `rea serve`
// builds it, in-process, 8 in flight, relaxed and durable audit. Run with a young generation large
// enough that no collection happens inside a measured window (run.mjs passes the flags), so the
// growth of the heap over the window is what the calls allocated. Windows with a GC are discarded.
import { PerformanceObserver } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import { fmt, median } from './stats.mjs';
import { IN_FLIGHT, toolPipeline } from './tool-pipeline.mjs';

if (typeof globalThis.gc !== 'function') {
  console.error('bench/alloc.mjs needs --expose-gc (npm run bench passes it)');
  process.exit(1);
}
const WINDOW = 800;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);

let gcs = 0;
new PerformanceObserver((list) => (gcs += list.getEntries().length)).observe({ entryTypes: ['gc'] });

async function variant(durability) {
  const pipeline = await toolPipeline({ durability });
  await pipeline.calls(5000); // warm-up
  const samples = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    globalThis.gc();
    // The observer hears of that collection a little later: let it, so it is not counted in the window.
    await delay(20);
    const seen = gcs;
    const before = process.memoryUsage().heapUsed;
    await pipeline.calls(WINDOW);
    const after = process.memoryUsage().heapUsed;
    await delay(20);
    if (gcs === seen) samples.push((after - before) / WINDOW / 1024);
  }
  await pipeline.close();
  return samples;
}

console.log(`\n## Allocation per governed call (tool pipeline, in-process, ${IN_FLIGHT} in flight; KB per call, median of ${ROUNDS} windows of ${WINDOW} calls)`);
for (const durability of ['relaxed', 'durable']) {
  const samples = await variant(durability);
  console.log(`${`chain, ${durability} audit`.padEnd(24)}${(samples.length ? fmt(median(samples), 1) : 'n/a').padStart(8)} KB   (target: at most 15 KB)`);
}
