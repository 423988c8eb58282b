import { CommandCollector } from './collector.js';
import { forkContext, MAX_NESTING, type ShellContext } from './context.js';
import { flushParserCache, loadShellParser } from './load-parser.js';
import type { ParsedScript } from './model.js';
import { splitPlain, type PlainScript } from './plain-split.js';
import { AstWalker, ParseFailure } from './walk.js';
import { TooManyNames } from './bounds.js';

export type ParseOutcome = { readonly kind: 'parsed'; readonly script: ParsedScript } | { readonly kind: 'unreadable'; readonly reason: string };

/** Beyond this a command line is not something to reason about in a hook: it is denied. */
const MAX_COMMAND_BYTES = 64 * 1024;

export interface ParseOptions {
  /** Where the parser's V8 code cache lives (see load-parser.ts). */
  readonly cacheDir: string | undefined;
  /** Tests: send every line through the full parser, to check the plain reader agrees with it. */
  readonly alwaysFullParser?: boolean;
}

/**
 * Parse a Bash command line into the simple commands it would run (see model.ts): plain lines by
 * the plain reader, everything else by mvdan-sh. A line neither can read, or one too large or
 * too deeply nested, is `unreadable`: the caller denies it.
 */
export function parseCommandLine(text: string, ctx: ShellContext, options: ParseOptions): ParseOutcome {
  if (Buffer.byteLength(text) > MAX_COMMAND_BYTES) return { kind: 'unreadable', reason: `the command is longer than ${MAX_COMMAND_BYTES} bytes` };
  const collector = new CommandCollector();
  let walker: AstWalker | undefined;
  collector.walkText = (source, inner) => {
    if (inner.depth > MAX_NESTING) throw new ParseFailure(`shell strings nested more than ${MAX_NESTING} deep`);
    const plain = options.alwaysFullParser === true ? undefined : splitPlain(source, inner);
    if (plain !== undefined) return walkPlain(plain, inner, collector);
    if (walker === undefined) {
      const syntax = loadShellParser(options.cacheDir);
      const parser = syntax.NewParser();
      walker = new AstWalker(syntax, (src) => parser.Parse(src, 'command'), collector);
    }
    return walker.walkText(source, inner);
  };
  try {
    collector.walkText(text, ctx);
  } catch (error) {
    if (error instanceof ParseFailure || error instanceof TooManyNames) return { kind: 'unreadable', reason: error.message };
    throw error;
  } finally {
    flushParserCache();
  }
  return { kind: 'parsed', script: collector.result() };
}

function walkPlain(script: PlainScript, ctx: ShellContext, collector: CommandCollector): { names: string[] } {
  const names: string[] = [];
  for (const { pipeline } of script) {
    const piped = pipeline.length > 1;
    const before: string[] = [];
    for (const command of pipeline) {
      const ran = collector.addCommand(command.argv, piped ? forkContext(ctx) : ctx, [...before], command.redirects);
      before.push(...ran);
      names.push(...ran);
    }
  }
  return { names };
}
