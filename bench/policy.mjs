// Cost of the policy stages per call: tier + policy + blocked-paths + rate-limit on a realistic
// tool call, against an empty chain, in-process (no stdio). Target: under 0.05 ms p50.
// Run after a build: node bench/policy.mjs
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PolicySource } from '../dist/config/policy-source.js';
import { tier } from '../dist/chain/middleware/tier.js';
import { policy } from '../dist/chain/middleware/policy.js';
import { blockedPaths } from '../dist/chain/middleware/blocked-paths.js';
import { rateLimit } from '../dist/chain/middleware/rate-limit.js';

const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 20_000);
const WARMUP = 2_000;

const root = mkdtempSync(join(tmpdir(), 'rea-bench-policy-'));
mkdirSync(join(root, '.rea'));
mkdirSync(join(root, 'src'));
writeFileSync(join(root, 'src/index.ts'), 'export {};\n');
symlinkSync(join(root, 'src'), join(root, 'linked-src'));
writeFileSync(
  join(root, '.rea/policy.yaml'),
  `version: "1"
autonomy_level: L2
max_autonomy_level: L3
blocked_paths: [.env, .env.*, "*.pem", secrets/, config/prod.yaml, ~/.ssh/]
tools:
  - match: "fs__*_sql"
    tier: destructive
  - match: "shell__*"
    deny: true
servers:
  github:
    allow: ["get_*", "list_*"]
rate_limits:
  server_default: { rate: 1000000, burst: 1000000, max_in_flight: 64 }
  tools:
    "fs__write_*": { rate: 1000000, burst: 1000000 }
`,
);

const source = new PolicySource({ root, watch: true });
const getPolicy = () => source.current();
const stages = [tier(() => undefined), policy(), blockedPaths(root), rateLimit()];

const args = {
  path: 'src/index.ts',
  content: Array.from({ length: 40 }, (_, i) => `line ${i}: const value${i} = compute(${i}); // some prose here`).join('\n'),
  options: { encoding: 'utf8', createDirectories: true, mode: '0644' },
  tags: ['refactor', 'typescript'],
  message: 'refactor: split the loader into parse and validate',
  backup: 'linked-src/index.ts.bak',
};

function makeCtx() {
  return {
    callId: 'c', sessionId: 's', surface: 'tool', server: 'fs', name: 'write_file', exposedName: 'fs__write_file',
    params: {}, args, hints: {}, serverCwd: root, tier: 'write', policy: getPolicy(), autonomy: getPolicy().autonomy, needsConfirmation: false, argsDigest: undefined, signal: new AbortController().signal,
    startedAt: 0, decision: { kind: 'allow' }, metadata: {}, redactedFields: [],
    confirm: async () => 'accept', forward: async () => ({ content: [] }),
  };
}

function chainOf(list) {
  const run = (ctx, i) => (i < list.length ? list[i](ctx, () => run(ctx, i + 1)) : Promise.resolve());
  return (ctx) => run(ctx, 0);
}

async function measure(chain) {
  const samples = new Float64Array(ITERATIONS);
  for (let i = 0; i < WARMUP; i += 1) await chain(makeCtx());
  for (let i = 0; i < ITERATIONS; i += 1) {
    const ctx = makeCtx();
    const t0 = process.hrtime.bigint();
    await chain(ctx);
    samples[i] = Number(process.hrtime.bigint() - t0) / 1000;
    if (ctx.decision.kind !== 'allow') throw new Error(`bench call was denied: ${ctx.decision.reason}`);
  }
  samples.sort();
  return { p50: samples[Math.floor(ITERATIONS * 0.5)], p90: samples[Math.floor(ITERATIONS * 0.9)], p99: samples[Math.floor(ITERATIONS * 0.99)] };
}

const empty = await measure(chainOf([]));
const full = await measure(chainOf(stages));
const fmt = (n) => n.toFixed(2).padStart(8);
const names = ['tier', 'policy', 'blocked-paths', 'rate-limit'];
const each = [];
for (let i = 0; i < stages.length; i += 1) each.push([names[i], await measure(chainOf([stages[i]]))]);
console.log(`policy stages (tier+policy+blocked-paths+rate-limit), ${ITERATIONS} calls, µs`);
console.log(`  empty chain      p50 ${fmt(empty.p50)}  p90 ${fmt(empty.p90)}  p99 ${fmt(empty.p99)}`);
console.log(`  policy stages    p50 ${fmt(full.p50)}  p90 ${fmt(full.p90)}  p99 ${fmt(full.p99)}`);
for (const [name, m] of each) console.log(`    ${name.padEnd(14)} p50 ${fmt(m.p50)}  p90 ${fmt(m.p90)}`);
console.log(`  added p50: ${(full.p50 - empty.p50).toFixed(2)} µs (target < 50 µs) ratio ${(full.p50 / Math.max(empty.p50, 0.01)).toFixed(1)}x`);
source.close();
rmSync(root, { recursive: true, force: true });
