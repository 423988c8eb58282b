import type { Tier } from '../../policy/levels.js';
import type { PathJudge } from '../path-judge.js';
import { expandGlob } from './glob.js';
import { wordText, type SimpleCommand, type Word } from './model.js';
import { commandName } from './unwrap.js';

/** What the rules found in one command line. */
export interface ShellVerdict {
  readonly tier: Tier;
  /** Refusals whatever the autonomy level: blocked paths and governance tampering. */
  readonly refusals: readonly { readonly code: 'blocked_path' | 'governance'; readonly reason: string }[];
  /** Why the line is destructive (empty when it is not). */
  readonly destructive: readonly string[];
}

export type Refusal = ShellVerdict['refusals'][number];

/** Option names whose value is a file: `--file=x`, `if=x`, `--output=x`, `--config=x`. */
const FILE_OPTION = /file|path|dir|^if$|^of$|out|input|conf|data|upload|cert|key|from|src|source|dest|target|include|load|read|^[a-z]$/i;

/** One command's words, as text and as the paths they name. */
export class CommandFacts {
  readonly name: string;
  readonly args: readonly Word[];
  readonly texts: readonly (string | undefined)[];
  readonly cwd: string;

  constructor(
    readonly command: SimpleCommand,
    readonly judge: PathJudge,
  ) {
    this.name = commandName(command.argv[0]) ?? '';
    this.args = command.argv.slice(1);
    this.texts = this.args.map(wordText);
    this.cwd = command.cwd ?? judge.root;
  }

  has(flag: RegExp): boolean {
    return this.texts.some((t) => t !== undefined && flag.test(t));
  }

  /** Every concrete path a word may name: its values, its globs expanded, option values (`--file=x`, `@x`). */
  paths(word: Word): string[] {
    const out = new Set<string>();
    for (const value of word.values) {
      out.add(value);
      // `-F f=@.env`, `HEAD:.env`, `host:.env`, `a,b`: the part after the separator is a path too;
      // after `=` only for options that take a file (`--file=.env`, `if=.env`), not `--grep=.env`.
      for (const part of value.split(/[@,:]/).slice(1)) if (part.length > 0) out.add(part);
      const assignment = /^-{0,2}([\w.-]*)=(.+)$/.exec(value);
      if (assignment && FILE_OPTION.test(assignment[1]!)) out.add(assignment[2]!);
      if (/^-[A-Za-z]./.test(value) && !value.includes('=')) out.add(value.slice(2));
    }
    // A word that is wholly unknown (`"$f"` of an unknown f, `<(…)`) names nothing we can check.
    for (const glob of word.globs) {
      if (glob === '*') continue;
      for (const match of expandGlob(glob, this.cwd, { dot: word.dotGlobs === true })) out.add(match);
      // `"$(pwd)/.env"`, `$DIR/.env`: an unknown directory in front; check the rest as named here too.
      const tail = glob.replace(/^(?:\*\/)+/, '');
      if (tail !== glob && !/[*?[]/.test(tail)) out.add(tail);
    }
    return [...out];
  }

  positional(): Word[] {
    return this.args.filter((w, i) => !(this.texts[i] ?? '').startsWith('-'));
  }
}

export function gitSubcommand(f: CommandFacts): string | undefined {
  for (let i = 0; i < f.texts.length; i += 1) {
    const t = f.texts[i];
    if (t === undefined) return undefined;
    if (t === '-c' || t === '-C' || t === '--git-dir' || t === '--work-tree' || t === '--namespace') {
      i += 1;
      continue;
    }
    if (!t.startsWith('-')) return t;
  }
  return undefined;
}
