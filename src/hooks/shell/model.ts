/**
 * What the Bash hook knows about a command line once parsed: every simple command that would run,
 * wherever it sits (pipelines, lists, subshells, `$(…)`, `<(…)`, `bash -c` strings, `eval`,
 * `xargs`, `find -exec`), with its words evaluated as far as they can be without running anything.
 */

/** One shell word, evaluated statically. */
export interface Word {
  /** Each value the word may take when fully known (brace expansion and loops give several). */
  readonly values: readonly string[];
  /**
   * Globs still to expand against the tree: unquoted `*?[` of the word itself, and every part
   * that cannot be known (a variable, `$(…)`) stands as `*`.
   */
  readonly globs: readonly string[];
  /** Some part is unknown until run time. */
  readonly dynamic: boolean;
  /** Some part is the output of a command that decodes (`base64 -d`, `xxd -r`, `rev`, …). */
  readonly decoded: boolean;
  /** Some part is the output of a download (`curl`, `wget`) or a process substitution of one. */
  readonly downloaded: boolean;
  /** When the word is only command output: the commands that produce it. */
  readonly fromCommands?: readonly string[];
  /** Its globs come from find's -name, whose wildcards match dotfiles too. */
  readonly dotGlobs?: boolean;
}

export interface Redirect {
  /** `>`, `>>`, `<`, `<>`, `>|`, `&>`, `&>>`, `<<<`, `>&`, `<&`, `<<`, `<<-`. */
  readonly op: string;
  /** The file descriptor written before the operator, e.g. `2` in `2>`. */
  readonly fd: string | undefined;
  readonly target: Word;
}

export interface SimpleCommand {
  /** The command after prefixes such as `sudo`, `env`, `nohup`, `timeout` are taken off. */
  readonly argv: readonly Word[];
  readonly redirects: readonly Redirect[];
  /** The directory it runs in, or undefined after a `cd` that cannot be followed. */
  readonly cwd: string | undefined;
  /** Names of the commands whose output is piped into this one. */
  readonly pipedFrom: readonly string[];
  /** Here-document or here-string text given on stdin, when known. */
  readonly stdinText: string | undefined;
  /** The prefixes taken off (`sudo`, `env`, `xargs`, `find -exec`…), outermost first. */
  readonly via: readonly string[];
}

export interface ParsedScript {
  readonly commands: readonly SimpleCommand[];
  /** Function definitions whose body calls the function itself in the background (a fork bomb). */
  readonly forkBombs: readonly string[];
  /** Text passed to `bash -c`/`eval` that is only known at run time and comes from a decode or download. */
  /**
   * Programs run from text the rules cannot see: a `bash -c "$X"`, an `eval` of command output, a
   * shell reading a pipe. `hidden` is set when nothing is known of where the text comes from.
   */
  readonly opaque: readonly { readonly command: string; readonly decoded: boolean; readonly downloaded: boolean; readonly hidden: boolean }[];
  /** Every variable name assigned anywhere (`X=1`, `X=1 cmd`, `export X=1`, `env X=1 cmd`). */
  readonly assigned: readonly string[];
}

export const knownWord = (text: string): Word => ({ values: [text], globs: [], dynamic: false, decoded: false, downloaded: false });

/** The word's single known text, or undefined. */
export function wordText(word: Word | undefined): string | undefined {
  return word !== undefined && !word.dynamic && word.globs.length === 0 && word.values.length === 1 ? word.values[0] : undefined;
}
