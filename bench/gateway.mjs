// Gateway benchmark: direct vs bare relay vs rea, measured in one run (this machine is noisy, so
// every figure is reported next to the direct path and as a ratio). Never part of `npm test`.
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { fmt, median, summarize } from './stats.mjs';
import { DOWNSTREAM, registryYaml } from './downstream.mjs';

const ROOT = resolve(import.meta.dirname, '..');
const CLI = join(ROOT, 'dist', 'cli', 'index.js');
const SERVER = DOWNSTREAM.script;
const RELAY = join(ROOT, 'bench', 'bare-relay.mjs');
const PARSING_RELAY = join(ROOT, 'bench', 'parsing-relay.mjs');
const DURABLE_RELAY = join(ROOT, 'bench', 'durable-relay.mjs');
const SEQUENTIAL = Number(process.env.BENCH_CALLS ?? 2000);
const CONCURRENT_TOTAL = Number(process.env.BENCH_CONCURRENT_CALLS ?? 4000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const WARMUP = Number(process.env.BENCH_WARMUP_CALLS ?? 2000);
// Before the calls in flight are measured: with the sequential calls, ~10,000 calls in all, by when
// V8 has finished compiling rea's hot path here (bench/paired.mjs reports what the warm-up costs).
const CONCURRENT_WARMUP = Number(process.env.BENCH_CONCURRENT_WARMUP_CALLS ?? 6000);

function project(policyExtra = '', servers = 1) {
  const root = mkdtempSync(join(tmpdir(), 'rea-bench-'));
  mkdirSync(join(root, '.rea'));
  writeFileSync(join(root, '.rea', 'registry.yaml'), registryYaml(servers));
  writeFileSync(join(root, '.rea', 'policy.yaml'), `version: "1"\nautonomy_level: L3\nmax_autonomy_level: L3\n${policyExtra}`);
  return root;
}

const PATHS = {
  direct: () => ({ command: process.execPath, args: [SERVER], tool: 'echo' }),
  relay: () => ({ command: process.execPath, args: [RELAY, process.execPath, SERVER], tool: 'echo' }),
  parsingRelay: () => ({ command: process.execPath, args: [PARSING_RELAY, process.execPath, SERVER], tool: 'echo' }),
  durableRelay: (root) => ({ command: process.execPath, args: [DURABLE_RELAY, join(root, 'relay.jsonl'), process.execPath, SERVER], tool: 'echo' }),
  // The binary as users launch it (its shebang carries rea's node flags).
  rea: (root) => ({ command: CLI, args: ['serve', '--dir', root], tool: 'echo__echo' }),
};

async function connect(spec) {
  const transport = new StdioClientTransport({ ...spec, env: { PATH: process.env.PATH, HOME: process.env.HOME, REA_LOG_LEVEL: 'error' }, stderr: 'ignore' });
  const client = new Client({ name: 'bench', version: '1' });
  const t0 = performance.now();
  await client.connect(transport);
  await client.listTools();
  return { client, startupMs: performance.now() - t0, pid: transport.pid };
}

async function sequential(client, tool) {
  // Steady state, as a gateway serving a session is: long enough a warm-up for V8 to optimise the hot path.
  for (let i = 0; i < WARMUP; i += 1) await client.callTool({ name: tool, arguments: DOWNSTREAM.args('warm') });
  const samples = [];
  for (let i = 0; i < SEQUENTIAL; i += 1) {
    const t0 = performance.now();
    await client.callTool({ name: tool, arguments: DOWNSTREAM.args(`hello ${i}`) });
    samples.push(performance.now() - t0);
  }
  return summarize(samples);
}

async function concurrent(client, tool, total = CONCURRENT_TOTAL, inFlight = 8) {
  let next = 0;
  const t0 = performance.now();
  const worker = async () => {
    while (next < total) {
      next += 1;
      await client.callTool({ name: tool, arguments: DOWNSTREAM.args('x') });
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  return total / ((performance.now() - t0) / 1000);
}

/** CPU time (user + system) a process has used, in µs, from /proc (clock ticks of 10 ms). */
function cpuUs(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
}

function rssMb(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)[1]) / 1024;
}

async function measure(name, spec) {
  const { client, startupMs, pid } = await connect(spec);
  try {
    const seq = await sequential(client, spec.tool);
    await concurrent(client, spec.tool, CONCURRENT_WARMUP);
    // The process the client spoke to: the server (direct), the relay, or rea; its CPU per call under load.
    const cpu0 = cpuUs(pid);
    const tput = await concurrent(client, spec.tool);
    const cpuPerCall = (cpuUs(pid) - cpu0) / CONCURRENT_TOTAL;
    return { name, startupMs, ...seq, tput, cpuPerCall };
  } finally {
    await client.close();
  }
}

export async function runGatewayBench() {
  const durableRoot = project();
  const relaxedRoot = project('audit:\n  durability: relaxed\n');
  const threeRoot = project('', 3);
  const rounds = [];
  try {
    for (let round = 0; round < ROUNDS; round += 1) {
      // Interleave the paths in every round so drift on a noisy machine hits them all alike.
      rounds.push({
        direct: await measure('direct', PATHS.direct()),
        relay: await measure('relay', PATHS.relay()),
        parsingRelay: await measure('parsing relay', PATHS.parsingRelay()),
        durableRelay: await measure('durable relay', PATHS.durableRelay(durableRoot)),
        rea: await measure('rea (durable audit)', PATHS.rea(durableRoot)),
        reaRelaxed: await measure('rea (relaxed audit)', PATHS.rea(relaxedRoot)),
      });
    }
    // RSS twice: after a short session, and after sustained load (8 in flight), where V8's old
    // generation has grown with short-lived objects promoted under load.
    const three = await connect(PATHS.rea(threeRoot));
    for (let i = 0; i < 200; i += 1) await three.client.callTool({ name: 'echo__echo', arguments: DOWNSTREAM.args('x') });
    const rss = rssMb(three.pid);
    await concurrent(three.client, 'echo__echo');
    await concurrent(three.client, 'echo__echo');
    const rssLoaded = rssMb(three.pid);
    await three.client.close();

    const med = (key, field) => median(rounds.map((r) => r[key][field]));
    const row = (key) => ({ startup: med(key, 'startupMs'), p50: med(key, 'p50'), p95: med(key, 'p95'), p99: med(key, 'p99'), tput: med(key, 'tput'), cpu: med(key, 'cpuPerCall') });
    const d = row('direct');
    const table = { direct: d, relay: row('relay'), parsingRelay: row('parsingRelay'), durableRelay: row('durableRelay'), rea: row('rea'), reaRelaxed: row('reaRelaxed') };
    console.log(`\n## Gateway, ${DOWNSTREAM.name} echo (${ROUNDS} rounds, medians; ${SEQUENTIAL} sequential calls after ${WARMUP}, then ${CONCURRENT_TOTAL} calls with 8 in flight after ${CONCURRENT_WARMUP})`);
    console.log('path                  startup→tools/list ms   p50 ms   p95 ms   p99 ms   added p50 ms   calls/s (8 in flight)   vs relay   CPU µs/call (that process, 8 in flight)');
    for (const [key, r] of Object.entries(table)) {
      console.log(
        `${key.padEnd(22)}${fmt(r.startup, 1).padStart(18)}   ${fmt(r.p50).padStart(6)}   ${fmt(r.p95).padStart(6)}   ${fmt(r.p99).padStart(6)}   ${fmt(r.p50 - d.p50).padStart(12)}   ${fmt(r.tput, 0).padStart(21)}   ${fmt(r.tput / table.relay.tput, 2).padStart(8)}   ${fmt(r.cpu, 0).padStart(10)}`,
      );
    }
    console.log(`rea CPU per governed call: ${fmt(table.rea.cpu, 0)} µs durable (target 80), ${fmt(table.reaRelaxed.cpu, 0)} µs relaxed (target 64); includes the JSON-RPC parse and write on both sides`);
    console.log(`rea RSS with three downstreams: ${fmt(rss, 1)} MB after 200 calls, ${fmt(rssLoaded, 1)} MB after ${2 * CONCURRENT_TOTAL} more with 8 in flight`);
    // The durable relay keeps one durable record per answer and does nothing else: no gateway that
    // answers only once the call's record is on disk (rea's durable audit) can do better than it.
    console.log(`durable floor (a relay that only makes a record of each answer durable): ${fmt(table.durableRelay.tput / table.relay.tput, 2)}× the relay with 8 in flight, ${fmt(table.durableRelay.cpu - table.relay.cpu, 0)} µs CPU per call over the bare relay`);
    console.log(`rea added p50 over the bare relay: ${fmt(table.rea.p50 - table.relay.p50)} ms (durable audit), ${fmt(table.reaRelaxed.p50 - table.relay.p50)} ms (relaxed)`);
    return table;
  } finally {
    for (const r of [durableRoot, relaxedRoot, threeRoot]) rmSync(r, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await runGatewayBench();
