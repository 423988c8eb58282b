/**
 * How much the Bash hook enumerates for one line: brace expansions, loop lists, glob matches,
 * directories walked, listings fed to xargs. Past a bound it cannot check every name a command may
 * touch, and a name past the cut would pass unseen, so the line is refused, not judged in part.
 */
export const MAX_NAMES = 4096;
export const MAX_DIRECTORIES = 4096;

export class TooManyNames extends Error {
  constructor(what: string) {
    super(`${what}; rea checks every name a command may touch, so it does not run it (name the files, or narrow the command)`);
  }
}

/** `count` more names are about to be added to `have`: refuse past the bound. */
export function checkNameCount(total: number, what: string): void {
  if (total > MAX_NAMES) throw new TooManyNames(`${what} gives more than ${MAX_NAMES} names`);
}
