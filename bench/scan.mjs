// Content-security cost: redaction + injection classification of a tool result, as the scan-result
// stage does it. Usage: npm run build && node bench/scan.mjs
// BENCH_CLOCK=cpu measures this process's CPU time instead of wall time: steadier when other work
// shares the core (wall time is what a quiet machine gives).
import { performance } from 'node:perf_hooks';
import { compileScanOptions } from '../dist/scan/scan-options.js';
import { textOf } from '../dist/scan/text-of.js';

const options = compileScanOptions({}, { exactValues: ['injected-secret-value-123456'] });

function scan(result) {
  const out = options.redactor.redactValue(result, 'result');
  return options.classify(textOf(out.value));
}

const para = `## Configuration

The gateway reads \`.rea/policy.yaml\` at startup and reloads it when the file changes. Each tool call
passes through the chain: audit, kill switch, tier, policy, blocked paths, rate limit and so on.

\`\`\`ts
export async function loadConfig(path: string): Promise<Config> {
  const text = await readFile(path, 'utf8');
  return ConfigSchema.parse(parse(text));
}
\`\`\`

Run \`npm test\` to execute the suite; see https://example.com/docs/testing for details. The user can
cancel a long-running call at any time, and results larger than the cap are truncated.
`;
const text4k = para.repeat(Math.ceil(4096 / para.length)).slice(0, 4096);
const entries = Array.from({ length: 40 }, (_, i) => ({ id: i, name: `item-${i}`, path: `/srv/app/src/module${i}.ts`, size: 1000 + i }));
const results = {
  '4 KB text (docs + code)': { content: [{ type: 'text', text: text4k }] },
  '4 KB JSON (structured)': { content: [{ type: 'text', text: JSON.stringify(entries).slice(0, 4096) }] },
  '4 KB text with a secret': { content: [{ type: 'text', text: text4k.slice(0, 4000) + ' ghp_' + 'a1B2'.repeat(9) }] },
  // The same entries as MCP structuredContent: 80 short strings, each scanned on its own.
  '3 KB structuredContent': { content: [{ type: 'text', text: '40 entries' }], structuredContent: { entries } },
};

const now =
  process.env.BENCH_CLOCK === 'cpu'
    ? () => {
        const { user, system } = process.cpuUsage();
        return (user + system) / 1000;
      }
    : () => performance.now();

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function perCallMicros(result, batches = 200, perBatch = 20) {
  for (let i = 0; i < 500; i++) scan(result);
  const samples = [];
  for (let b = 0; b < batches; b++) {
    const t = now();
    for (let i = 0; i < perBatch; i++) scan(result);
    samples.push(((now() - t) * 1000) / perBatch);
  }
  return median(samples);
}

console.log(`scan-result cost per call (redaction + injection), median of batches${process.env.BENCH_CLOCK === 'cpu' ? ', CPU time' : ''}:`);
for (const [label, result] of Object.entries(results)) console.log(`  ${label.padEnd(30)} ${perCallMicros(result).toFixed(1)} µs`);

const mb = text4k.repeat(256);
const big = { content: [{ type: 'text', text: mb }] };
const times = [];
for (let i = 0; i < 7; i++) {
  const t = now();
  scan(big);
  times.push(now() - t);
}
const ms = median(times);
console.log(`1 MB text result: ${ms.toFixed(1)} ms per result, ${(1 / (ms / 1000)).toFixed(1)} MB/s`);
const redactMs = median(Array.from({ length: 5 }, () => { const t = now(); options.redactor.redactString(mb); return now() - t; }));
const classifyMs = median(Array.from({ length: 5 }, () => { const t = now(); options.classify(mb); return now() - t; }));
console.log(`  of which redaction ${redactMs.toFixed(1)} ms, classification ${classifyMs.toFixed(1)} ms (classifier scans at most 256 KB: head + tail)`);
