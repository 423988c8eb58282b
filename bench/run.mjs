// `npm run bench`: every benchmark, one after another, each in its own process so one cannot
// warm or pollute another. Never part of `npm test`. Figures are medians; each benchmark reports
// against its baseline (the direct path, the bare relay, an empty log) measured in the same run.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const BENCHES = ['gateway.mjs', 'chain.mjs', 'alloc.mjs', 'policy.mjs', 'scan.mjs', 'audit.mjs', 'hooks.mjs'];
/** Node flags per benchmark: alloc.mjs measures heap growth, so no collection may run inside a window. */
const FLAGS = { 'alloc.mjs': ['--expose-gc', '--max-semi-space-size=64', '--min-semi-space-size=64'] };
const only = process.argv.slice(2);
let failed = 0;
for (const file of BENCHES) {
  if (only.length > 0 && !only.some((o) => file.startsWith(o))) continue;
  console.log(`\n# bench/${file}`);
  const result = spawnSync(process.execPath, [...(FLAGS[file] ?? []), join(import.meta.dirname, file)], {
    stdio: 'inherit',
    env: { ...process.env, REA_LOG_LEVEL: 'error' },
  });
  if (result.status !== 0) failed += 1;
}
process.exit(failed === 0 ? 0 : 1);
