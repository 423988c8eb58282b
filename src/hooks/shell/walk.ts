import type { ShNode } from 'mvdan-sh';
import type { Syntax } from './load-parser.js';
import { forkContext, MAX_NESTING, type ShellContext } from './context.js';
import { knownWord, wordText, type ParsedScript, type Redirect, type SimpleCommand, type Word } from './model.js';
import { commandName, unwrapCommand } from './unwrap.js';
import { evaluateWord, isDecoder, isDownloader } from './words.js';
import { resolve } from 'node:path';

/** Shells whose `-c` string is parsed and walked like the rest of the command. */
const SHELLS = /^(?:sh|bash|zsh|dash|ksh|mksh|ash|busybox)$/;

export class ParseFailure extends Error {}

/**
 * Walks a mvdan-sh syntax tree in execution order, collecting every simple command with the
 * directory and variables in force where it runs. `cd` moves the directory for what follows;
 * pipelines and subshells do not leak their changes.
 */
export class ScriptWalker {
  private readonly commands: SimpleCommand[] = [];
  private readonly forkBombs: string[] = [];
  private readonly opaque: ParsedScript['opaque'][number][] = [];
  private readonly assigned: string[] = [];
  private readonly ops: ReadonlyMap<number, string>;

  constructor(
    private readonly syntax: Syntax,
    private readonly parse: (text: string) => ShNode,
  ) {
    this.ops = operatorNames(syntax, parse);
  }

  result(): ParsedScript {
    return { commands: this.commands, forkBombs: this.forkBombs, opaque: this.opaque, assigned: [...new Set(this.assigned)] };
  }

  /** Walk the statements of `text` (a whole command line or a nested `-c` string). */
  walkText(text: string, ctx: ShellContext): { names: string[] } {
    if (ctx.depth > MAX_NESTING) throw new ParseFailure(`shell strings nested more than ${MAX_NESTING} deep`);
    let file: ShNode;
    try {
      file = this.parse(text);
    } catch (error) {
      throw new ParseFailure(parseErrorText(error));
    }
    return this.walkStmts((file['Stmts'] as ShNode[]) ?? [], ctx);
  }

  private walkStmts(stmts: readonly ShNode[], ctx: ShellContext, pipedFrom: readonly string[] = []): { names: string[] } {
    const names: string[] = [];
    for (const stmt of stmts) names.push(...this.walkStmt(stmt, ctx, pipedFrom));
    return { names };
  }

  private walkStmt(stmt: ShNode, ctx: ShellContext, pipedFrom: readonly string[]): string[] {
    const cmd = stmt['Cmd'] as ShNode | null;
    const redirects = ((stmt['Redirs'] as ShNode[] | undefined) ?? []).map((r) => this.redirect(r, ctx));
    const background = stmt['Background'] === true;
    const runCtx = background ? forkContext(ctx) : ctx;
    if (cmd === null || cmd === undefined) {
      // A bare redirection (`: > file` without the colon, `> file`) still opens the file.
      this.commands.push({ argv: [knownWord(':')], redirects, cwd: ctx.cwd, pipedFrom, stdinText: hereText(redirects), via: [] });
      return [];
    }
    return this.walkCommand(cmd, runCtx, pipedFrom, redirects);
  }

  private walkCommand(cmd: ShNode, ctx: ShellContext, pipedFrom: readonly string[], redirects: readonly Redirect[]): string[] {
    const syn = this.syntax;
    const stmts = (node: ShNode | null | undefined, key: string): ShNode[] => ((node?.[key] as ShNode[] | undefined) ?? []);
    switch (syn.NodeType(cmd)) {
      case 'CallExpr':
        return this.call(cmd, ctx, pipedFrom, redirects);
      case 'BinaryCmd': {
        const op = this.ops.get(cmd['Op'] as number);
        const x = cmd['X'] as ShNode;
        const y = cmd['Y'] as ShNode;
        if (op === '|' || op === '|&') {
          const left = this.walkStmt(x, forkContext(ctx), pipedFrom);
          return [...left, ...this.walkStmt(y, forkContext(ctx), [...pipedFrom, ...left])];
        }
        return [...this.walkStmt(x, ctx, pipedFrom), ...this.walkStmt(y, ctx, pipedFrom)];
      }
      case 'Subshell':
        return this.walkStmts(stmts(cmd, 'Stmts'), forkContext(ctx), pipedFrom).names;
      case 'Block':
        return this.walkStmts(stmts(cmd, 'Stmts'), ctx, pipedFrom).names;
      case 'IfClause': {
        const names: string[] = [];
        for (let clause: ShNode | null = cmd; clause; clause = clause['Else'] as ShNode | null) {
          names.push(...this.walkStmts(stmts(clause, 'Cond'), ctx, pipedFrom).names, ...this.walkStmts(stmts(clause, 'Then'), ctx, pipedFrom).names);
        }
        return names;
      }
      case 'WhileClause':
        return [...this.walkStmts(stmts(cmd, 'Cond'), ctx, pipedFrom).names, ...this.walkStmts(stmts(cmd, 'Do'), ctx, pipedFrom).names];
      case 'ForClause': {
        const loop = cmd['Loop'] as ShNode;
        if (syn.NodeType(loop) === 'WordIter') {
          const items = ((loop['Items'] as ShNode[] | undefined) ?? []).map((w) => this.word(w, ctx));
          ctx.vars.set(String((loop['Name'] as ShNode)['Value']), mergeWords(items));
        }
        return this.walkStmts(stmts(cmd, 'Do'), ctx, pipedFrom).names;
      }
      case 'CaseClause':
        this.word(cmd['Word'] as ShNode, ctx);
        return ((cmd['Items'] as ShNode[] | undefined) ?? []).flatMap((item) => this.walkStmts(stmts(item, 'Stmts'), forkContext(ctx), pipedFrom).names);
      case 'FuncDecl': {
        const name = String((cmd['Name'] as ShNode)['Value']);
        const body = cmd['Body'] as ShNode;
        const before = this.commands.length;
        const names = this.walkStmt(body, forkContext(ctx), pipedFrom);
        if (this.commands.slice(before).some((c) => commandName(c.argv[0]) === name)) this.forkBombs.push(name);
        return names;
      }
      case 'DeclClause':
        for (const assign of (cmd['Args'] as ShNode[] | undefined) ?? []) this.assign(assign, ctx);
        return [];
      case 'TimeClause':
      case 'CoprocClause':
        return cmd['Stmt'] ? this.walkStmt(cmd['Stmt'] as ShNode, ctx, pipedFrom) : [];
      default: {
        // Tests, arithmetic, let: nothing runs but the substitutions inside them.
        const names: string[] = [];
        syn.Walk(cmd, (node) => {
          if (node !== null && (syn.NodeType(node) === 'CmdSubst' || syn.NodeType(node) === 'ProcSubst')) {
            names.push(...this.walkStmts(stmts(node, 'Stmts'), forkContext(ctx)).names);
            return false;
          }
          return true;
        });
        return names;
      }
    }
  }

  private call(cmd: ShNode, ctx: ShellContext, pipedFrom: readonly string[], redirects: readonly Redirect[]): string[] {
    const assigns = (cmd['Assigns'] as ShNode[] | undefined) ?? [];
    const args = ((cmd['Args'] as ShNode[] | undefined) ?? []).map((w) => this.word(w, ctx));
    if (args.length === 0) {
      for (const assign of assigns) this.assign(assign, ctx);
      if (redirects.length > 0) this.commands.push({ argv: [knownWord(':')], redirects, cwd: ctx.cwd, pipedFrom, stdinText: hereText(redirects), via: [] });
      return [];
    }
    // `VAR=x cmd` sets VAR for cmd only; its value still counts (`F=.env; cat $F` is caught below).
    const local = assigns.length > 0 ? forkContext(ctx) : ctx;
    for (const assign of assigns) this.assign(assign, local);
    return this.addCommand(args, local, pipedFrom, redirects, []);
  }

  /** Record one command line (after unwrapping) and follow what it runs: `cd`, shells' `-c`, `eval`. */
  addCommand(argv: readonly Word[], ctx: ShellContext, pipedFrom: readonly string[], redirects: readonly Redirect[], via: readonly string[]): string[] {
    const names: string[] = [];
    for (const unwrapped of unwrapCommand(argv)) {
      const name = commandName(unwrapped.argv[0]) ?? '';
      names.push(name);
      this.assigned.push(...(unwrapped.assignments ?? []));
      const command: SimpleCommand = { argv: unwrapped.argv, redirects, cwd: ctx.cwd, pipedFrom, stdinText: hereText(redirects), via: [...via, ...unwrapped.via] };
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
    const decoded = words.some((w) => w.decoded);
    const downloaded = words.some((w) => w.downloaded);
    this.opaque.push({ command: shell, decoded, downloaded });
    return [];
  }

  /** `source <(curl …)` runs what was downloaded. */
  private sourced(command: SimpleCommand): void {
    const arg = command.argv[1];
    if (arg?.downloaded === true || arg?.decoded === true) this.opaque.push({ command: 'source', decoded: arg.decoded, downloaded: arg.downloaded });
  }

  private assign(assign: ShNode, ctx: ShellContext): void {
    const name = (assign['Name'] as ShNode | null)?.['Value'];
    if (typeof name !== 'string') return;
    this.assigned.push(name);
    const value = assign['Value'] as ShNode | null;
    const word = value ? this.word(value, ctx) : knownWord('');
    const previous = ctx.vars.get(name);
    ctx.vars.set(name, assign['Append'] === true && previous !== undefined ? mergeWords([previous, word]) : word);
  }

  private redirect(node: ShNode, ctx: ShellContext): Redirect {
    const op = this.ops.get(node['Op'] as number) ?? '?';
    const n = node['N'] as ShNode | null;
    const hdoc = node['Hdoc'] as ShNode | null;
    const target = op === '<<' || op === '<<-' ? (hdoc ? this.word(hdoc, ctx) : knownWord('')) : this.word(node['Word'] as ShNode, ctx);
    return { op, fd: n ? String(n['Value']) : undefined, target };
  }

  private word(word: ShNode, ctx: ShellContext): Word {
    return evaluateWord(this.syntax, word, ctx, (stmts, inner) => this.walkStmts(stmts, forkContext(inner)));
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

function mergeWords(words: readonly Word[]): Word {
  return {
    values: words.flatMap((w) => w.values),
    globs: words.flatMap((w) => w.globs),
    dynamic: words.some((w) => w.dynamic),
    decoded: words.some((w) => w.decoded),
    downloaded: words.some((w) => w.downloaded),
  };
}

/** mvdan-sh numbers its operators; learn the numbering from the parser itself rather than hard-code it. */
function operatorNames(syntax: Syntax, parse: (text: string) => ShNode): Map<number, string> {
  const samples = ['a > b', 'a >> b', 'a < b', 'a <> b', 'a >| b', 'a &> b', 'a &>> b', 'a <<< b', 'a >& b', 'a <& b', 'a << E\nE', 'a <<- E\nE', 'a && b', 'a || b', 'a | b', 'a |& b'];
  const names = new Map<number, string>();
  for (const sample of samples) {
    const op = sample.split(' ')[1]!.split('\n')[0]!;
    syntax.Walk(parse(sample), (node) => {
      if (node !== null && (syntax.NodeType(node) === 'Redirect' || syntax.NodeType(node) === 'BinaryCmd')) names.set(node['Op'] as number, op);
      return true;
    });
  }
  return names;
}

function parseErrorText(error: unknown): string {
  if (error instanceof Error && error.message) return error.message;
  const text = typeof (error as { Error?: () => string })?.Error === 'function' ? (error as { Error: () => string }).Error() : String(error);
  return text && text !== '[object Object]' ? text : 'the shell parser could not read the command';
}
