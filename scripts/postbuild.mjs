// Make the CLI entry executable after tsc emits it (tsc keeps the shebang, not the mode).
import { chmodSync } from 'node:fs';
chmodSync(new URL('../dist/cli/index.js', import.meta.url), 0o755);
