/**
 * What `rea doctor` reports about the git gates: per gate, whether rea's script is the hook git
 * runs, is executable, names a CLI that exists, and whether the hook it chains is still there.
 * Read-only; every problem comes with its fix.
 */
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GATE_NAMES, type GateName } from './gate-verdict.js';
import { CHAINED_SUFFIX, parseHookScript } from './hook-script.js';
import { findHooksDir } from './hooks-dir.js';
import { lstatOrUndefined } from './install.js';

export interface GateHookStatus {
  readonly gate: GateName;
  readonly path: string;
  /** rea's script is the hook at `path`. */
  readonly installed: boolean;
  readonly executable: boolean;
  /** The CLI the script names, and whether it exists. */
  readonly cli: string | undefined;
  readonly cliExists: boolean;
  /** The hook moved aside for rea's script; it runs after the gate when executable (git skipped it otherwise, too). */
  readonly chained: { readonly path: string; readonly executable: boolean } | undefined;
  /** Empty when this gate is in order; otherwise each problem with its fix. */
  readonly problems: readonly string[];
}

export interface GateStatus {
  readonly ok: boolean;
  readonly hooksDir: string | undefined;
  /** Set when there is no usable hooks directory (not a git repository, a global hooksPath). */
  readonly problem: string | undefined;
  readonly gates: readonly GateHookStatus[];
}

const FIX = 'run `rea init` (or `rea gate install`) again';

export function inspectGitGates(root: string): GateStatus {
  const found = findHooksDir(root);
  if (found.kind === 'unusable') return { ok: false, hooksDir: undefined, problem: found.problem, gates: [] };
  const gates = GATE_NAMES.map((gate) => inspectOne(found.dir, gate));
  return { ok: gates.every((g) => g.problems.length === 0), hooksDir: found.dir, problem: undefined, gates };
}

function inspectOne(dir: string, gate: GateName): GateHookStatus {
  const path = join(dir, gate);
  const aside = path + CHAINED_SUFFIX;
  const stats = lstatOrUndefined(path);
  const launcher = stats?.isFile() ? parseHookScript(readFileSync(path, 'utf8')) : undefined;
  const chained = lstatOrUndefined(aside) === undefined ? undefined : { path: aside, executable: isExecutable(aside) };
  const executable = stats !== undefined && isExecutable(path);
  const cliExists = launcher !== undefined && existsSync(launcher.cli);
  const problems: string[] = [];
  if (stats === undefined) problems.push(`no ${gate} hook at ${path}: ${FIX}`);
  else if (launcher === undefined) problems.push(`the ${gate} hook at ${path} is not rea's (a tool such as husky may have rewritten it): ${FIX}; the hook that is there now will be chained`);
  else {
    if (!executable) problems.push(`${path} is not executable, so git skips it: \`chmod +x ${path}\` or ${FIX}`);
    if (!cliExists) problems.push(`${path} runs ${launcher.cli}, which does not exist (rea moved or was uninstalled): reinstall rea and ${FIX}`);
  }
  return { gate, path, installed: launcher !== undefined, executable, cli: launcher?.cli, cliExists, chained, problems };
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
