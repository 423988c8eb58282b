import { resolve } from 'node:path';
import { forkContext, type ShellContext } from './context.js';
import { knownWord, wordText, type ParsedScript, type Redirect, type SimpleCommand, type Word } from './model.js';
import { commandName, unwrapCommand } from './unwrap.js';
import { isDecoder, isDownloader } from './words.js';

/** Shells whose `-c` string is parsed and walked like the rest of the command. */
const SHELLS = /^(?:sh|bash|zsh|dash|ksh|mksh|ash|busybox)$/;

/** Walks the statements of a (nested) command string; supplied by parse.ts. */
export type WalkText = (text: string, ctx: ShellContext) => { names: string[] };

/**
 * Gathers the simple commands a script runs, whichever reader found them (the plain tokenizer or
 * the full parser), and follows what each runs: `cd` moves the directory for what follows; shells'
 * `-c` strings, `eval` and `source` are walked or, when only known at run time, noted as opaque.
 */
export class CommandCollector {
  private readonly commands: SimpleCommand[] = [];
  private readonly forkBombs: string[] = [];
  private readonly opaque: ParsedScript['opaque'][number][] = [];
  private readonly assigned: string[] = [];
  walkText: WalkText = () => ({ names: [] });

  result(): ParsedScript {
    return { commands: this.commands, forkBombs: this.forkBombs, opaque: this.opaque, assigned: [...new Set(this.assigned)] };
  }

  get count(): number {
    return this.commands.length;
  }

  /** Commands recorded since `from`: a function body's, to see whether it calls itself. */
  namesSince(from: number): string[] {
    return this.commands.slice(from).map((c) => commandName(c.argv[0]) ?? '');
  }

  noteForkBomb(name: string): void {
    this.forkBombs.push(name);
  }

  noteAssignment(name: string): void {
    this.assigned.push(name);
  }

  /** A statement with redirections and no command (`> file`, `X=1 > file`). */
  addBareRedirects(ctx: ShellContext, pipedFrom: readonly string[], redirects: readonly Redirect[]): void {
    this.commands.push({ argv: [knownWord(':')], redirects, cwd: ctx.cwd, pipedFrom, stdinText: hereText(redirects), via: [] });
  }

  /** Record one command line (after unwrapping) and follow what it runs. Returns the names that ran. */
  addCommand(argv: readonly Word[], ctx: ShellContext, pipedFrom: readonly string[], redirects: readonly Redirect[]): string[] {
    const names: string[] = [];
    for (const unwrapped of unwrapCommand(argv)) {
      const name = commandName(unwrapped.argv[0]) ?? '';
      names.push(name);
      this.assigned.push(...(unwrapped.assignments ?? []));
      const command: SimpleCommand = { argv: unwrapped.argv, redirects, cwd: ctx.cwd, pipedFrom, stdinText: hereText(redirects), via: unwrapped.via };
      this.commands.push(command);
      if (name === 'cd' || name === 'pushd') ctx.cwd = changeDirectory(unwrapped.argv[1], ctx);
      else if (SHELLS.test(name)) names.push(...this.nestedShell(command, ctx));
      else if (name === 'eval') names.push(...this.nestedString(command.argv.slice(1), ctx, 'eval'));
      else if (name === 'source' || name === '.') this.sourced(command);
    }
    return names;
  }

  private nestedShell(command: SimpleCommand, ctx: ShellContext): string[] {
    const args = command.argv.slice(1);
    const c = args.findIndex((w) => /^-[a-z]*c[a-z]*$/.test(wordText(w) ?? ''));
    if (c === -1) {
      // `sh script.sh` runs a file; `curl … | sh` and `sh <(curl …)` run what was downloaded.
      const fromDownload = command.pipedFrom.some(isDownloader) || args.some((w) => w.downloaded);
      const fromDecode = command.pipedFrom.some(isDecoder) || args.some((w) => w.decoded);
      const readsStdin = args.every((w) => (wordText(w) ?? '').startsWith('-')) || args.some((w) => w.downloaded || w.decoded);
      if (readsStdin && (fromDownload || fromDecode)) this.opaque.push({ command: commandName(command.argv[0]) ?? 'sh', decoded: fromDecode, downloaded: fromDownload });
      return [];
    }
    return this.nestedString(args.slice(c + 1, c + 2), ctx, commandName(command.argv[0]) ?? 'sh');
  }

  private nestedString(words: readonly Word[], ctx: ShellContext, shell: string): string[] {
    if (words.length === 0) return [];
    const known = words.map(wordText);
    if (known.every((t) => t !== undefined)) return this.walkText(known.join(' '), forkContext(ctx, true)).names;
    this.opaque.push({ command: shell, decoded: words.some((w) => w.decoded), downloaded: words.some((w) => w.downloaded) });
    return [];
  }

  /** `source <(curl …)` runs what was downloaded. */
  private sourced(command: SimpleCommand): void {
    const arg = command.argv[1];
    if (arg?.downloaded === true || arg?.decoded === true) this.opaque.push({ command: 'source', decoded: arg.decoded, downloaded: arg.downloaded });
  }
}

function hereText(redirects: readonly Redirect[]): string | undefined {
  const here = redirects.filter((r) => r.op === '<<' || r.op === '<<-' || r.op === '<<<');
  if (here.length === 0) return undefined;
  return here.map((r) => wordText(r.target) ?? '').join('\n');
}

function changeDirectory(target: Word | undefined, ctx: ShellContext): string | undefined {
  if (target === undefined) return ctx.home;
  const text = wordText(target);
  if (text === undefined || text === '-') return undefined;
  return ctx.cwd === undefined && !text.startsWith('/') ? undefined : resolve(ctx.cwd ?? '/', text);
}
