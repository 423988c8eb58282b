import type { ShellContext } from './context.js';
import { flushParserCache, loadShellParser } from './load-parser.js';
import type { ParsedScript } from './model.js';
import { ParseFailure, ScriptWalker } from './walk.js';

export type ParseOutcome = { readonly kind: 'parsed'; readonly script: ParsedScript } | { readonly kind: 'unreadable'; readonly reason: string };

/** Beyond this a command line is not something to reason about in a hook: it is denied. */
export const MAX_COMMAND_BYTES = 64 * 1024;

/**
 * Parse a Bash command line into the simple commands it would run (see model.ts). A line the
 * parser cannot read, or one too large or too deeply nested, is `unreadable`: the caller denies it.
 */
export function parseCommandLine(text: string, ctx: ShellContext, cacheDir: string | undefined): ParseOutcome {
  if (Buffer.byteLength(text) > MAX_COMMAND_BYTES) return { kind: 'unreadable', reason: `the command is longer than ${MAX_COMMAND_BYTES} bytes` };
  const syntax = loadShellParser(cacheDir);
  const parser = syntax.NewParser();
  const walker = new ScriptWalker(syntax, (src) => parser.Parse(src, 'command'));
  try {
    walker.walkText(text, ctx);
  } catch (error) {
    if (error instanceof ParseFailure) return { kind: 'unreadable', reason: error.message };
    throw error;
  } finally {
    flushParserCache();
  }
  return { kind: 'parsed', script: walker.result() };
}
