// Paired CPU comparison of `rea serve` builds (issue 11): each build's CPU per governed call under
// 8 in flight, relaxed and durable audit, rounds interleaved so the machine's drift hits every build
// alike. Run it pinned, e.g. `taskset -c 1 node bench/paired.mjs /tmp/base /work/wt-cpu`: every
// process (client, rea, downstream) inherits the one core, so rea's CPU is not blurred by
// cross-core scheduling. Prints per-build medians and ranges, and each build's ratio to the first.
// Not part of `npm run bench` (it needs a second checkout to compare against).
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { fmt, median } from './stats.mjs';
import { DOWNSTREAM, registryYaml } from './downstream.mjs';

const CALLS = Number(process.env.BENCH_CONCURRENT_CALLS ?? 4000);
// V8 is still compiling the hot path for the first ~8,000 calls here (its compiler threads' CPU is
// rea's too): the measured calls start after it, at steady state, and the warm-up's own CPU per
// call is reported beside them (what a short session pays).
const WARMUP = Number(process.env.BENCH_WARMUP_CALLS ?? 10_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const IN_FLIGHT = 8;
const builds = process.argv.slice(2).map((dir) => resolve(dir));
if (builds.length === 0) {
  console.error('usage: node bench/paired.mjs <checkout> [<checkout>…]  (each built: dist/cli/index.js)');
  process.exit(2);
}

function project(durability) {
  const root = mkdtempSync(join(tmpdir(), 'rea-bench-paired-'));
  mkdirSync(join(root, '.rea'));
  writeFileSync(join(root, '.rea', 'registry.yaml'), registryYaml());
  writeFileSync(join(root, '.rea', 'policy.yaml'), `version: "1"\nautonomy_level: L3\nmax_autonomy_level: L3\naudit:\n  durability: ${durability}\n`);
  return root;
}

/** CPU time (user + system) a process has used, in µs, from /proc (clock ticks of 10 ms). */
function cpuUs(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
}

function sysUs(pid) {
  return Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')[12]) * 10_000;
}

async function burst(client, n) {
  let next = 0;
  const worker = async () => {
    while (next < n) {
      next += 1;
      await client.callTool({ name: 'echo__echo', arguments: DOWNSTREAM.args('x') });
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
}

async function measure(build, root) {
  const transport = new StdioClientTransport({
    command: join(build, 'dist', 'cli', 'index.js'), args: ['serve', '--dir', root],
    env: { PATH: process.env.PATH, HOME: process.env.HOME, REA_LOG_LEVEL: 'error' }, stderr: 'ignore',
  });
  const client = new Client({ name: 'bench', version: '1' });
  await client.connect(transport);
  try {
    const w0 = cpuUs(transport.pid);
    await burst(client, WARMUP);
    const warm = (cpuUs(transport.pid) - w0) / WARMUP;
    const c0 = cpuUs(transport.pid);
    const s0 = sysUs(transport.pid);
    const t0 = performance.now();
    await burst(client, CALLS);
    const seconds = (performance.now() - t0) / 1000;
    return { warm, cpu: (cpuUs(transport.pid) - c0) / CALLS, sys: (sysUs(transport.pid) - s0) / CALLS, tput: CALLS / seconds };
  } finally {
    await client.close();
  }
}

const roots = { relaxed: project('relaxed'), durable: project('durable') };
const samples = new Map();
try {
  for (let round = 0; round < ROUNDS; round += 1) {
    // Alternate the order each round as well, so neither build always runs first.
    const order = round % 2 === 0 ? builds : [...builds].reverse();
    for (const durability of ['relaxed', 'durable']) {
      for (const build of order) {
        const key = `${build}|${durability}`;
        if (!samples.has(key)) samples.set(key, []);
        samples.get(key).push(await measure(build, roots[durability]));
      }
    }
  }
} finally {
  for (const root of Object.values(roots)) rmSync(root, { recursive: true, force: true });
}

console.log(`\n## rea serve, CPU µs per governed call, ${DOWNSTREAM.name} echo (${ROUNDS} interleaved rounds × ${CALLS} calls after a ${WARMUP}-call warm-up, ${IN_FLIGHT} in flight; median [min–max])`);
for (const durability of ['relaxed', 'durable']) {
  const base = median(samples.get(`${builds[0]}|${durability}`).map((s) => s.cpu));
  for (const build of builds) {
    const s = samples.get(`${build}|${durability}`);
    const cpu = s.map((x) => x.cpu);
    const m = median(cpu);
    console.log(`${durability.padEnd(8)} ${build.padEnd(28)} ${fmt(m, 0).padStart(5)} µs [${fmt(Math.min(...cpu), 0)}–${fmt(Math.max(...cpu), 0)}] (kernel ${fmt(median(s.map((x) => x.sys)), 0)})   ${fmt(median(s.map((x) => x.tput)), 0).padStart(6)} calls/s   ×${fmt(m / base, 2)}   first ${WARMUP} calls ${fmt(median(s.map((x) => x.warm)), 0)} µs`);
  }
}
