/**
 * Installing the git gates without clobbering anything (issue 10): a hook already in place (the
 * user's own, husky's, lefthook's) is moved aside to `<name>.rea-chained` by rename, so its bytes,
 * mode and symlink-ness survive, and rea's script runs it after the gate passes. Installing again
 * changes no byte; uninstalling renames the original back.
 */
import { chmodSync, existsSync, lstatSync, mkdirSync, readFileSync, readlinkSync, renameSync, unlinkSync, writeFileSync, type Stats } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GATE_NAMES, type GateName } from './gate-verdict.js';
import { CHAINED_SUFFIX, parseHookScript, renderHookScript, type GateLauncher } from './hook-script.js';
import { runGit } from './git-command.js';
import { findHooksDir } from './hooks-dir.js';

export type GateInstallAction = 'installed' | 'chained' | 'updated' | 'unchanged' | 'conflict';
export type GateUninstallAction = 'restored' | 'removed' | 'not-installed' | 'conflict';

export interface GateInstallEntry {
  readonly gate: GateName;
  readonly path: string;
  readonly action: GateInstallAction;
  /** The hook rea's script runs after its gate, when there is one. */
  readonly chained: string | undefined;
  readonly detail: string;
}

export interface GateUninstallEntry {
  readonly gate: GateName;
  readonly path: string;
  readonly action: GateUninstallAction;
  readonly detail: string;
}

/** `problem` is set (and nothing was touched) when the project has no usable hooks directory. */
export interface GateInstallReport {
  readonly hooksDir: string | undefined;
  readonly problem: string | undefined;
  readonly gates: readonly GateInstallEntry[];
}

export interface GateUninstallReport {
  readonly hooksDir: string | undefined;
  readonly problem: string | undefined;
  readonly gates: readonly GateUninstallEntry[];
}

/** This rea: the running node and the CLI built beside this module (`dist/cli/index.js`). */
export function currentLauncher(): GateLauncher {
  return { node: process.execPath, cli: fileURLToPath(new URL('../cli/index.js', import.meta.url)) };
}

export function installGitGates(root: string, launcher: GateLauncher): GateInstallReport {
  const found = findHooksDir(root);
  if (found.kind === 'unusable') return { hooksDir: undefined, problem: found.problem, gates: [] };
  mkdirSync(found.dir, { recursive: true });
  const isTracked = (path: string): boolean => isTrackedFile(found.top, path);
  return { hooksDir: found.dir, problem: undefined, gates: GATE_NAMES.map((gate) => installOne(found.dir, gate, launcher, isTracked)) };
}

export function uninstallGitGates(root: string): GateUninstallReport {
  const found = findHooksDir(root);
  if (found.kind === 'unusable') return { hooksDir: undefined, problem: found.problem, gates: [] };
  return { hooksDir: found.dir, problem: undefined, gates: GATE_NAMES.map((gate) => uninstallOne(found.dir, gate)) };
}

function installOne(dir: string, gate: GateName, launcher: GateLauncher, isTracked: (path: string) => boolean): GateInstallEntry {
  const path = join(dir, gate);
  const aside = path + CHAINED_SUFFIX;
  const script = renderHookScript(gate, launcher);
  const current = lstatOrUndefined(path);
  const hasAside = existsOrLink(aside);
  const chained = hasAside ? aside : undefined;
  if (current !== undefined && isReaScript(path, current)) {
    if (readFileSync(path, 'utf8') === script && (current.mode & 0o777) === 0o755) {
      return { gate, path, action: 'unchanged', chained, detail: 'already installed' };
    }
    writeScript(path, script);
    return { gate, path, action: 'updated', chained, detail: 'rewritten for this rea' };
  }
  if (current !== undefined) {
    // A hooks directory in the repository (`core.hooksPath .githooks`, husky 4-8's `.husky`) is shared
    // with the team: a script naming this machine's paths must not replace a file they would pull.
    if (isTracked(path)) {
      return {
        gate,
        path,
        action: 'conflict',
        chained: undefined,
        detail: `${path} is tracked by git (a hooks directory the team shares); rea will not replace it with a script naming this machine's paths. add a line running \`rea gate ${gate} "$@"\` to it yourself (through npx when rea is a devDependency)`,
      };
    }
    if (hasAside && !sameEntry(path, aside)) {
      return { gate, path, action: 'conflict', chained: undefined, detail: `both ${path} and ${aside} exist and differ; move one of them away, then install again` };
    }
    // Same bytes aside already (a tool such as husky rewrote its hook over rea's): keep one copy.
    if (hasAside) unlinkSync(path);
    else renameSync(path, aside);
    writeScript(path, script);
    return { gate, path, action: 'chained', chained: aside, detail: `the existing hook now runs after rea's gate, from ${aside}` };
  }
  writeScript(path, script);
  return { gate, path, action: 'installed', chained, detail: chained ? `chains ${aside}` : 'new hook' };
}

function uninstallOne(dir: string, gate: GateName): GateUninstallEntry {
  const path = join(dir, gate);
  const aside = path + CHAINED_SUFFIX;
  const current = lstatOrUndefined(path);
  const hasAside = existsOrLink(aside);
  const ours = current !== undefined && isReaScript(path, current);
  if (hasAside && (ours || current === undefined)) {
    renameSync(aside, path);
    return { gate, path, action: 'restored', detail: `the hook that was here before is back (from ${aside})` };
  }
  if (ours) {
    unlinkSync(path);
    return { gate, path, action: 'removed', detail: 'rea gate removed; there was no hook before' };
  }
  if (hasAside && sameEntry(path, aside)) {
    unlinkSync(aside);
    return { gate, path, action: 'restored', detail: `${path} is already the original; removed the copy at ${aside}` };
  }
  if (hasAside) return { gate, path, action: 'conflict', detail: `${path} is not rea's and differs from ${aside}; left both for you to sort out` };
  return { gate, path, action: 'not-installed', detail: current === undefined ? 'no hook' : 'the hook here is not rea\'s; left alone' };
}

/** Written in place of the old entry, then chmod: the umask must not leave the hook unexecutable. */
function writeScript(path: string, script: string): void {
  const temp = `${path}.rea-tmp-${process.pid}`;
  writeFileSync(temp, script, { mode: 0o755 });
  chmodSync(temp, 0o755);
  renameSync(temp, path);
}

export function isReaScript(path: string, stats: Stats): boolean {
  return stats.isFile() && parseHookScript(readFileSync(path, 'utf8')) !== undefined;
}

function sameEntry(a: string, b: string): boolean {
  const sa = lstatSync(a);
  const sb = lstatSync(b);
  if (sa.isSymbolicLink() || sb.isSymbolicLink()) return sa.isSymbolicLink() && sb.isSymbolicLink() && readlinkSync(a) === readlinkSync(b);
  return sa.isFile() && sb.isFile() && (sa.mode & 0o777) === (sb.mode & 0o777) && readFileSync(a).equals(readFileSync(b));
}

export function lstatOrUndefined(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function isTrackedFile(top: string, path: string): boolean {
  const rel = relative(top, path);
  if (rel.startsWith('..') || rel === '') return false;
  const run = runGit(top, ['ls-files', '-z', '--', rel.split(sep).join('/')]);
  return run.status === 0 && run.stdout.length > 0;
}

function existsOrLink(path: string): boolean {
  return existsSync(path) || lstatOrUndefined(path) !== undefined;
}
