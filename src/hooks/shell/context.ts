import type { Word } from './model.js';

/** What the walk knows at a point in the script: the directory and the variables set so far. */
export interface ShellContext {
  cwd: string | undefined;
  readonly vars: Map<string, Word>;
  readonly home: string;
  /** Nesting of `bash -c`/`eval` strings, bounded so a crafted command cannot recurse forever. */
  readonly depth: number;
}

export const MAX_NESTING = 8;

/** A subshell, pipeline stage or nested string: changes inside it do not leak out. */
export function forkContext(ctx: ShellContext, deeper = false): ShellContext {
  return { cwd: ctx.cwd, vars: new Map(ctx.vars), home: ctx.home, depth: ctx.depth + (deeper ? 1 : 0) };
}
