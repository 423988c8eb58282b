import { resolve } from 'node:path';
import { forkContext, type ShellContext } from './context.js';
import { knownWord, wordText, type ParsedScript, type Redirect, type SimpleCommand, type Word } from './model.js';
import { commandName, unwrapCommand } from './unwrap.js';
import { isDecoder, isDownloader } from './words.js';
import { AWK, INTERPRETERS } from './command-kinds.js';
import { ParseFailure } from './walk.js';

/** Shells whose `-c` string is parsed and walked like the rest of the command. */
const SHELLS = /^(?:sh|bash|zsh|dash|ksh|mksh|ash|busybox)$/;
/** Commands that run a shell string given with `-c`/`--command` (`su -c "…"`, `script -c "…" log`). */
const COMMAND_STRING_RUNNERS = /^(?:su|runuser|script)$/;
/** Tools whose output is made to be `eval`ed in a shell (`eval "$(ssh-agent -s)"`). */
const EVAL_SAFE = /^(?:ssh-agent|pyenv|rbenv|nodenv|goenv|direnv|brew|conda|mamba|micromamba|fnm|mise|rtx|starship|zoxide|thefuck|dircolors|gpg-agent|keychain|opam|luarocks|register-python-argcomplete|kubectl|helm|gh|rustup|npm)$/;

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
      else if (INTERPRETERS.test(name)) {
        this.stdinProgram(command);
        names.push(...this.shellInCode(command, ctx));
      }
      else if (name === 'eval') names.push(...this.nestedString(command.argv.slice(1), ctx, 'eval'));
      else if (COMMAND_STRING_RUNNERS.test(name)) names.push(...this.commandString(command, ctx, name));
      // `trap "…" EXIT` runs its string later in the same shell; `alias x="…"` runs its body when x is.
      else if (name === 'trap') names.push(...this.laterString(command.argv[1], ctx, 'trap'));
      else if (name === 'alias') for (const word of command.argv.slice(1)) names.push(...this.aliasBody(word, ctx));
      else if (name === 'source' || name === '.') this.sourced(command);
      else if (name === '' && unwrapped.argv[0] !== undefined) this.opaque.push({ command: 'a command whose name is only known at run time', decoded: unwrapped.argv[0].decoded, downloaded: unwrapped.argv[0].downloaded, hidden: true });
    }
    return names;
  }

  private nestedShell(command: SimpleCommand, ctx: ShellContext): string[] {
    const args = command.argv.slice(1);
    const c = args.findIndex((w) => /^-[a-z]*c[a-z]*$/.test(wordText(w) ?? ''));
    if (c === -1) {
      const readsStdin = args.every((w) => (wordText(w) ?? '').startsWith('-'));
      // `bash <<EOF … EOF` runs the here-document: walk it like any script.
      if (readsStdin && command.stdinText !== undefined) return this.walkText(command.stdinText, forkContext(ctx, true)).names;
      this.stdinProgram(command);
      return [];
    }
    return this.nestedString(args.slice(c + 1, c + 2), ctx, commandName(command.argv[0]) ?? 'sh');
  }

  private commandString(command: SimpleCommand, ctx: ShellContext, runner: string): string[] {
    const texts = command.argv.map(wordText);
    const c = texts.findIndex((t, i) => i > 0 && t !== undefined && (/^-[a-zA-Z]*c$/.test(t) || t === '--command'));
    const glued = texts.find((t) => t?.startsWith('--command='));
    if (glued !== undefined) return this.nestedString([knownWord(glued.slice('--command='.length))], ctx, runner);
    return c === -1 ? [] : this.nestedString(command.argv.slice(c + 1, c + 2), ctx, runner);
  }

  /** A string a shell keeps to run later (a trap, an alias body); `-` and an empty string run nothing. */
  private laterString(word: Word | undefined, ctx: ShellContext, keeper: string): string[] {
    if (word === undefined) return [];
    const text = wordText(word);
    if (text === '-' || text === '' || (text !== undefined && /^-[lp]$/.test(text))) return [];
    return this.nestedString([word], ctx, keeper);
  }

  private aliasBody(word: Word, ctx: ShellContext): string[] {
    const text = wordText(word);
    if (text === undefined) return this.laterString(word, ctx, 'alias');
    const eq = text.indexOf('=');
    return eq === -1 ? [] : this.laterString(knownWord(text.slice(eq + 1)), ctx, 'alias');
  }

  private nestedString(words: readonly Word[], ctx: ShellContext, shell: string): string[] {
    if (words.length === 0) return [];
    const known = words.map(wordText);
    if (known.every((t) => t !== undefined)) return this.walkText(known.join(' '), forkContext(ctx, true)).names;
    const evalSafe = shell === 'eval' && words.every((w) => w.fromCommands?.every((n) => EVAL_SAFE.test(n)) === true);
    if (!evalSafe) this.opaque.push({ command: shell, decoded: words.some((w) => w.decoded), downloaded: words.some((w) => w.downloaded), hidden: true });
    return [];
  }

  /**
   * `curl … | sh`, `sh <(curl …)`, `base64 -d … | python3`, `echo "…" | bash`: a program whose
   * text arrives on stdin (or through a process substitution) cannot be shown to the rules.
   */
  private stdinProgram(command: SimpleCommand): void {
    const args = command.argv.slice(1);
    const substituted = args.filter((w) => w.downloaded || w.decoded);
    const readsStdin = args.every((w) => (wordText(w) ?? '').startsWith('-') || wordText(w) === '-') || substituted.length > 0;
    if (!readsStdin || (command.pipedFrom.length === 0 && substituted.length === 0)) return;
    const decoded = command.pipedFrom.some(isDecoder) || substituted.some((w) => w.decoded);
    const downloaded = command.pipedFrom.some(isDownloader) || substituted.some((w) => w.downloaded);
    this.opaque.push({ command: commandName(command.argv[0]) ?? 'sh', decoded, downloaded, hidden: command.pipedFrom.length > 0 });
  }

  /**
   * `python3 -c "import os; os.system('rm -rf ~')"`: string literals in inline code (or a
   * here-document program) that read as shell commands are walked like any other command.
   */
  private shellInCode(command: SimpleCommand, ctx: ShellContext): string[] {
    const names: string[] = [];
    for (const code of inlineCode(command)) {
      for (const match of code.matchAll(/(['"`])((?:\\.|(?!\1)[^\\])*)\1/g)) {
        const literal = match[2]!;
        if (!/^\s*[a-z][\w.+-]*\s+\S/.test(literal) || literal.length > 4096) continue;
        try {
          names.push(...this.walkText(literal, forkContext(ctx, true)).names);
        } catch (error) {
          if (!(error instanceof ParseFailure)) throw error;
        }
      }
    }
    return names;
  }

  /** `source <(curl …)` runs what was downloaded. */
  private sourced(command: SimpleCommand): void {
    const arg = command.argv[1];
    if (arg?.downloaded === true || arg?.decoded === true) this.opaque.push({ command: 'source', decoded: arg.decoded, downloaded: arg.downloaded, hidden: false });
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

/** The program text an interpreter is given inline: `-c`/`-e` code, or a here-document on stdin. */
export function inlineCode(command: SimpleCommand): string[] {
  const texts = command.argv.map(wordText);
  const out: string[] = [];
  // awk's program is its first operand, after -F, -v and -f values.
  if (AWK.test(commandName(command.argv[0]) ?? '')) {
    for (let i = 1; i < texts.length; i += 1) {
      const t = texts[i];
      if (t === undefined) break;
      if (/^-[Fvf]$/.test(t)) i += 1;
      else if (!t.startsWith('-')) {
        out.push(t);
        break;
      }
    }
  }
  texts.forEach((t, i) => {
    if (i > 0 && /^-(?:[a-zA-Z]*[ceEpr]|-eval|-print|-command)$/.test(t ?? '') && texts[i + 1] !== undefined) out.push(texts[i + 1]!);
  });
  if (command.stdinText !== undefined) out.push(command.stdinText);
  return out;
}
