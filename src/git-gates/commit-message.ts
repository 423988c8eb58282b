/**
 * The lines of a commit message as git will store them: the hook sees the file before git's
 * cleanup, so comment lines and everything below the `git commit -v` scissors (the diff, which may
 * quote anything) are left out. Line numbers stay those of the file.
 */

export interface MessageLine {
  readonly line: number;
  readonly text: string;
}

const SCISSORS = / -{8,} >8 -{8,}$/;

/** `commentChar` is git's `core.commentChar` (default `#`). */
export function messageLines(text: string, commentChar = '#'): MessageLine[] {
  const lines: MessageLine[] = [];
  const all = text.split(/\r?\n/);
  for (let i = 0; i < all.length; i += 1) {
    const line = all[i]!;
    if (line.startsWith(commentChar)) {
      if (SCISSORS.test(line)) break;
      continue;
    }
    lines.push({ line: i + 1, text: line });
  }
  return lines;
}
