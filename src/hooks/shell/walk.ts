import type { ShNode } from 'mvdan-sh';
import type { Syntax } from './load-parser.js';
import type { CommandCollector } from './collector.js';
import { forkContext, type ShellContext } from './context.js';
import { knownWord, type Redirect, type Word } from './model.js';
import { evaluateWord } from './words.js';
import { checkNameCount } from './bounds.js';
import { learnOperators, operatorName } from './operators.js';

export class ParseFailure extends Error {}

/**
 * Walks a mvdan-sh syntax tree in execution order, handing every simple command to the collector
 * with the directory and variables in force where it runs. Pipelines and subshells do not leak
 * their changes.
 */
export class AstWalker {
  constructor(
    private readonly syntax: Syntax,
    private readonly parse: (text: string) => ShNode,
    private readonly collector: CommandCollector,
  ) {
    learnOperators(syntax, parse);
  }

  /** Walk the statements of `text` (a whole command line or a nested `-c` string). */
  walkText(text: string, ctx: ShellContext): { names: string[] } {
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
      // A bare redirection (`> file`) still opens the file.
      this.collector.addBareRedirects(ctx, pipedFrom, redirects);
      return [];
    }
    // `while read l; do …; done < .env`: a compound command's redirections open files too.
    if (redirects.length > 0 && this.syntax.NodeType(cmd) !== 'CallExpr') this.collector.addBareRedirects(runCtx, pipedFrom, redirects);
    return this.walkCommand(cmd, runCtx, pipedFrom, redirects);
  }

  private walkCommand(cmd: ShNode, ctx: ShellContext, pipedFrom: readonly string[], redirects: readonly Redirect[]): string[] {
    const syn = this.syntax;
    switch (syn.NodeType(cmd)) {
      case 'CallExpr':
        return this.call(cmd, ctx, pipedFrom, redirects);
      case 'BinaryCmd': {
        const op = operatorName(cmd['Op'] as number);
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
        const before = this.collector.count;
        const names = this.walkStmt(body, forkContext(ctx), pipedFrom);
        if (this.collector.namesSince(before).includes(name)) this.collector.noteForkBomb(name);
        return names;
      }
      case 'DeclClause':
        for (const assign of (cmd['Args'] as ShNode[] | undefined) ?? []) this.assign(assign, ctx);
        return [];
      case 'TimeClause':
      case 'CoprocClause':
        return cmd['Stmt'] ? this.walkStmt(cmd['Stmt'] as ShNode, ctx, pipedFrom) : [];
      default:
        // Tests, arithmetic, let: nothing runs but the substitutions inside them.
        return this.substitutionsIn(cmd, ctx);
    }
  }

  private call(cmd: ShNode, ctx: ShellContext, pipedFrom: readonly string[], redirects: readonly Redirect[]): string[] {
    const assigns = (cmd['Assigns'] as ShNode[] | undefined) ?? [];
    const args = ((cmd['Args'] as ShNode[] | undefined) ?? []).map((w) => this.word(w, ctx));
    if (args.length === 0) {
      for (const assign of assigns) this.assign(assign, ctx);
      if (redirects.length > 0) this.collector.addBareRedirects(ctx, pipedFrom, redirects);
      return [];
    }
    // `VAR=x cmd` sets VAR for cmd only; its value still counts (`F=.env; cat $F` is caught below).
    const local = assigns.length > 0 ? forkContext(ctx) : ctx;
    for (const assign of assigns) this.assign(assign, local);
    return this.collector.addCommand(args, local, pipedFrom, redirects);
  }

  private assign(assign: ShNode, ctx: ShellContext): void {
    const name = (assign['Name'] as ShNode | null)?.['Value'];
    const value = assign['Value'] as ShNode | null;
    // `export $(cat .env)` (a word with no name) and `x=($(cat .env))` (an array): no value to keep,
    // but the commands inside them run.
    if (typeof name !== 'string' || value === null) this.substitutionsIn(assign, ctx);
    if (typeof name !== 'string') return;
    this.collector.noteAssignment(name);
    const word = value ? this.word(value, ctx) : knownWord('');
    const previous = ctx.vars.get(name);
    ctx.vars.set(name, assign['Append'] === true && previous !== undefined ? mergeWords([previous, word]) : word);
  }

  /** Walk the commands of every `$(…)` and `<(…)` inside `node`; their names. */
  private substitutionsIn(node: ShNode, ctx: ShellContext): string[] {
    const syn = this.syntax;
    const names: string[] = [];
    syn.Walk(node, (inner) => {
      if (inner !== null && (syn.NodeType(inner) === 'CmdSubst' || syn.NodeType(inner) === 'ProcSubst')) {
        names.push(...this.walkStmts(stmts(inner, 'Stmts'), forkContext(ctx)).names);
        return false;
      }
      return true;
    });
    return names;
  }

  private redirect(node: ShNode, ctx: ShellContext): Redirect {
    const op = operatorName(node['Op'] as number);
    const n = node['N'] as ShNode | null;
    const hdoc = node['Hdoc'] as ShNode | null;
    const target = op === '<<' || op === '<<-' ? (hdoc ? this.word(hdoc, ctx) : knownWord('')) : this.word(node['Word'] as ShNode, ctx);
    return { op, fd: n ? String(n['Value']) : undefined, target };
  }

  private word(word: ShNode, ctx: ShellContext): Word {
    return evaluateWord(this.syntax, word, ctx, (stmts, inner) => this.walkStmts(stmts, forkContext(inner)));
  }
}

/** The statements under `key` of a node (`Stmts`, `Then`…), or none. */
function stmts(node: ShNode | null | undefined, key: string): ShNode[] {
  return (node?.[key] as ShNode[] | undefined) ?? [];
}

function mergeWords(words: readonly Word[]): Word {
  checkNameCount(words.reduce((n, w) => n + w.values.length + w.globs.length, 0), 'a loop list');
  return {
    values: words.flatMap((w) => w.values),
    globs: words.flatMap((w) => w.globs),
    dynamic: words.some((w) => w.dynamic),
    decoded: words.some((w) => w.decoded),
    downloaded: words.some((w) => w.downloaded),
  };
}

function parseErrorText(error: unknown): string {
  if (error instanceof Error && error.message) return error.message;
  const text = typeof (error as { Error?: () => string })?.Error === 'function' ? (error as { Error: () => string }).Error() : String(error);
  return text && text !== '[object Object]' ? text : 'the shell parser could not read the command';
}
