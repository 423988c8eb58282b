// The downstream the gateway benchmarks call: server-everything's `echo` by default (the reference
// server issue 11 states its overhead targets against), or our fixture with BENCH_SERVER=fixture
// (what the rounds before 2026-12-05 evening were measured with; its result also carries
// `structuredContent` and `_meta`).
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const SERVERS = {
  everything: {
    script: join(ROOT, 'node_modules', '@modelcontextprotocol', 'server-everything', 'dist', 'index.js'),
    args: (text) => ({ message: text }),
  },
  fixture: {
    script: join(ROOT, 'test', 'fixtures', 'servers', 'echo.mjs'),
    args: (text) => ({ text }),
  },
};

const name = process.env.BENCH_SERVER ?? 'everything';
if (!(name in SERVERS)) {
  console.error(`BENCH_SERVER must be one of ${Object.keys(SERVERS).join(', ')} (got ${name})`);
  process.exit(2);
}

/** Which server, the script to run it with node, and the `echo` tool's arguments for a text. */
export const DOWNSTREAM = { name, ...SERVERS[name] };

/** Registry entries for `count` copies of the downstream, named echo, echo1, echo2, … */
export function registryYaml(count = 1) {
  const entries = Array.from({ length: count }, (_, i) => `  - name: echo${i === 0 ? '' : i}\n    command: ${JSON.stringify(process.execPath)}\n    args: [${JSON.stringify(DOWNSTREAM.script)}]\n`).join('');
  return `version: "1"\nservers:\n${entries}`;
}
