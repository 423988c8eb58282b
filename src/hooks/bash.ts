import type { Tier } from '../policy/levels.js';
import type { PathJudge } from './path-judge.js';
import { parseCommandLine } from './shell/parse.js';
import { judgeScript } from './shell/rules.js';
import { knownWord } from './shell/model.js';
import { TooManyNames } from './shell/bounds.js';

/** Loaded only for Bash calls: it brings the shell parser. */
export type BashVerdict =
  | { readonly kind: 'judged'; readonly tier: Tier; readonly destructive: readonly string[] }
  | { readonly kind: 'deny'; readonly tier: Tier; readonly code: string; readonly reason: string };

export function judgeBash(command: string, cwd: string, judge: PathJudge, cacheDir: string | undefined): BashVerdict {
  // The Bash tool runs with Claude Code's environment, which is this hook's.
  const known = { ...process.env, HOME: judge.home, PWD: cwd, CLAUDE_PROJECT_DIR: judge.root };
  const vars = new Map(Object.entries(known).flatMap(([k, v]) => (v === undefined ? [] : [[k, knownWord(v)] as const])));
  const parsed = parseCommandLine(command, { cwd, vars, home: judge.home, depth: 0 }, { cacheDir });
  if (parsed.kind === 'unreadable') return unreadable(parsed.reason);
  let verdict: ReturnType<typeof judgeScript>;
  try {
    verdict = judgeScript(parsed.script, judge, command);
  } catch (error) {
    // Globs and listings are expanded against the tree while judging.
    if (error instanceof TooManyNames) return unreadable(error.message);
    throw error;
  }
  const refusal = verdict.refusals[0];
  if (refusal !== undefined) {
    const more = verdict.refusals.length > 1 ? ` (and ${verdict.refusals.length - 1} more)` : '';
    return { kind: 'deny', tier: verdict.tier, code: refusal.code, reason: `${refusal.reason}${more}` };
  }
  return { kind: 'judged', tier: verdict.tier, destructive: verdict.destructive };
}

function unreadable(reason: string): BashVerdict {
  return { kind: 'deny', tier: 'write', code: 'unreadable', reason: `rea cannot read this command, so it is not run: ${reason}` };
}
