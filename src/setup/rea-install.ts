import { existsSync, realpathSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Which rea the files `rea init` writes should run: the project's own install
 * (`node_modules/rea`) when there is one, so a clone works for everyone who runs `npm ci`;
 * otherwise this rea, by absolute path. Either way no `rea` on PATH is needed, and the node that
 * ran init is named (a hook or gate falls back to `node` on PATH if it moves).
 */
export interface ReaInstall {
  readonly node: string;
  /** The package root (holds `hooks/`, `dist/`, `profiles/`). */
  readonly packageRoot: string;
  readonly cli: string;
  /** True when packageRoot is the project's own `node_modules/rea`. */
  readonly projectLocal: boolean;
}

/**
 * The node flags `rea serve` runs with: the CLI's shebang carries them for `rea serve` on PATH, and
 * the `.mcp.json` entries `rea init` writes name them, because they start node directly and a
 * shebang is read only when the script itself is executed. Without them the gateway holds ~25 MB
 * more under load (V8's default young generation; the reasons are in src/cli/index.ts).
 */
export const SERVE_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=2', '--v8-pool-size=2'];

/** The command line of an `.mcp.json` entry that runs `rea serve` with `serveArgs`. */
export function serveEntry(install: ReaInstall, serveArgs: readonly string[]): { command: string; args: string[] } {
  return { command: install.node, args: [...SERVE_NODE_FLAGS, install.cli, ...serveArgs] };
}

/** Whether node is given every serve flag before the script it runs (an entry `serveEntry` wrote). */
export function hasServeFlags(args: readonly string[]): boolean {
  const script = args.findIndex((a) => !a.startsWith('-'));
  const flags = script === -1 ? args : args.slice(0, script);
  return SERVE_NODE_FLAGS.every((flag) => flags.includes(flag));
}

const THIS_PACKAGE = resolve(fileURLToPath(new URL('../../', import.meta.url)));

export function reaInstallFor(root: string): ReaInstall {
  const local = join(root, 'node_modules', 'rea');
  const projectLocal = existsSync(join(local, 'hooks', 'pre-tool-use.mjs'));
  const packageRoot = projectLocal ? realpathSync(local) : THIS_PACKAGE;
  return { node: process.execPath, packageRoot, cli: join(packageRoot, 'dist', 'cli', 'index.js'), projectLocal };
}

export function hookScriptOf(install: ReaInstall, event: 'pre-tool-use' | 'post-tool-use'): string {
  return join(install.packageRoot, 'hooks', `${event}.mjs`);
}

/** Single-quote for sh. */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}
