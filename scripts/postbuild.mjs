// After tsc: make the CLI entry executable (tsc keeps the shebang, not the mode), and bundle the
// Claude Code hooks. A hook is a process per tool call; loading one bundle instead of ~40 ES
// modules saves it ~20 ms of start-up, a third of what `node -e 0` costs (bench/hooks.mjs).
// Dynamic imports stay separate chunks, so a hook loads only what its event needs.
import { chmodSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

chmodSync(new URL('../dist/cli/index.js', import.meta.url), 0o755);
const outdir = new URL('../dist/hooks-bundle/', import.meta.url).pathname;
rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: ['pre-tool-use', 'post-tool-use'].map((name) => new URL(`../dist/hooks/${name}.js`, import.meta.url).pathname),
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outdir,
  // The shell parser is loaded through vm.Script with a V8 code cache (src/hooks/shell/load-parser.ts).
  external: ['mvdan-sh'],
  // CommonJS dependencies (yaml) require Node built-ins; an ES module bundle has no require of its own.
  banner: { js: "import { createRequire as reaCreateRequire } from 'node:module'; const require = reaCreateRequire(import.meta.url);" },
  logLevel: 'warning',
});
