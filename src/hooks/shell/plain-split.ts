import type { ShellContext } from './context.js';
import type { Redirect, Word } from './model.js';
import { combine, literalPiece, variablePiece, type Piece } from './words.js';

/**
 * The commands most agents run (`git status`, `npm test 2>&1 | tail -20`, `ls src/*.ts`,
 * `cd ~/app && git diff HEAD~1`) hold no syntax that needs a parser: words of plain characters,
 * globs, `~`, `$NAME`, quotes without other expansions, `| && || ;` and simple redirections. This
 * reader settles exactly those, into the same words the full parser's walk makes (a test checks
 * both agree), and returns undefined for anything else, which goes to the parser. It saves a hook
 * the parser's start-up on most calls.
 */
export interface PlainCommand {
  readonly argv: readonly Word[];
  readonly redirects: readonly Redirect[];
}

/** A list of pipelines and the operator before each (`undefined` for the first). */
export type PlainScript = readonly { readonly op: '&&' | '||' | ';' | undefined; readonly pipeline: readonly PlainCommand[] }[];

const DECLARATIONS = new Set(['export', 'declare', 'typeset', 'local', 'readonly', 'let']);
const RESERVED = new Set(['if', 'then', 'else', 'elif', 'fi', 'for', 'while', 'until', 'do', 'done', 'case', 'esac', 'select', 'function', 'time', 'coproc', 'in', '{', '}', '!', '[[', ']]']);
/** Characters that stand for themselves anywhere in an unquoted word. */
const PLAIN = /[A-Za-z0-9_@%+=:,./-]/;
/** Characters that are plain or glob inside a word but mean something else at its start. */
const INSIDE_ONLY = /[~^#*?]/;
const REDIRECT = /^(\d*)(>>|>&|>|<|&>)/;
const NAME = /^\$(?:([A-Za-z_][A-Za-z0-9_]*)|\{([A-Za-z_][A-Za-z0-9_]*)\})/;

export function splitPlain(text: string, ctx: ShellContext): PlainScript | undefined {
  const script: { op: '&&' | '||' | ';' | undefined; pipeline: PlainCommand[] }[] = [];
  let pipeline: PlainCommand[] = [];
  let argv: Word[] = [];
  let redirects: Redirect[] = [];
  let pendingRedirect: { op: string; fd: string | undefined } | undefined;
  let op: '&&' | '||' | ';' | undefined;
  const endCommand = (): boolean => {
    if (pendingRedirect !== undefined || argv.length === 0) return false;
    pipeline.push({ argv, redirects });
    argv = [];
    redirects = [];
    return true;
  };
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i]!;
    if (c === ' ' || c === '\t') {
      i += 1;
      continue;
    }
    const two = text.slice(i, i + 2);
    if (two === '&&' || two === '||' || c === ';') {
      if (!endCommand()) return undefined;
      script.push({ op, pipeline });
      pipeline = [];
      op = c === ';' ? ';' : (two as '&&' | '||');
      i += c === ';' ? 1 : 2;
      continue;
    }
    if (c === '|') {
      if (text[i + 1] === '&' || !endCommand()) return undefined;
      i += 1;
      continue;
    }
    const redirect = REDIRECT.exec(text.slice(i, i + 8));
    if (redirect && (redirect[1] === '' || atWordStart(text, i))) {
      if (pendingRedirect !== undefined || (redirect[2] === '&>' && redirect[1] !== '')) return undefined;
      const after = text[i + redirect[0].length];
      if (after === '>' || after === '|' || after === '&' || after === '(') return undefined;
      pendingRedirect = { op: redirect[2]!, fd: redirect[1] === '' ? undefined : redirect[1] };
      i += redirect[0].length;
      continue;
    }
    const word = readWord(text, i, ctx);
    if (word === undefined) return undefined;
    const source = text.slice(i, word.end);
    i = word.end;
    if (pendingRedirect !== undefined) {
      redirects.push({ ...pendingRedirect, target: combine(word.pieces) });
      pendingRedirect = undefined;
    } else {
      // Assignments (`X=1 cmd`), declarations (`export X=1`) and reserved words (`while`, `do`,
      // `if`…, whose commands come after them) are the parser's business.
      if (argv.length === 0 && (/^[A-Za-z_][A-Za-z0-9_]*=/.test(source) || DECLARATIONS.has(source) || RESERVED.has(source))) return undefined;
      argv.push(combine(word.pieces));
    }
  }
  if (!endCommand()) return undefined;
  script.push({ op, pipeline });
  return script;
}

/** `2>` is a redirection only where a word starts (`a2>b` is the word `a2` and `>b`). */
function atWordStart(text: string, i: number): boolean {
  return i === 0 || /[\s;|&]/.test(text[i - 1]!);
}

/** One word, as the pieces the full parser's walk would make of it; undefined when it holds more. */
function readWord(text: string, start: number, ctx: ShellContext): { pieces: Piece[]; end: number } | undefined {
  const pieces: Piece[] = [];
  let literal = '';
  const flush = (): void => {
    if (literal.length > 0) pieces.push(literalPiece(literal, pieces.length === 0, ctx.home));
    literal = '';
  };
  let i = start;
  while (i < text.length) {
    const c = text[i]!;
    if (c === "'") {
      const close = text.indexOf("'", i + 1);
      if (close === -1) return undefined;
      flush();
      pieces.push({ alternatives: [text.slice(i + 1, close)], globbable: false });
      i = close + 1;
    } else if (c === '"') {
      const close = text.indexOf('"', i + 1);
      if (close === -1) return undefined;
      const inner = readDoubleQuoted(text.slice(i + 1, close), ctx);
      if (inner === undefined) return undefined;
      flush();
      pieces.push(...inner);
      i = close + 1;
    } else if (c === '$') {
      const name = NAME.exec(text.slice(i));
      if (name === null) return undefined;
      flush();
      pieces.push(variablePiece(name[1] ?? name[2], ctx));
      i += name[0].length;
    } else if (PLAIN.test(c) || (INSIDE_ONLY.test(c) && (i > start || c === '~' || c === '*' || c === '?'))) {
      // `~` only as `~` or `~/…` at the start (`~user` is the parser's); `#` never first (a comment).
      if (c === '~' && i === start && !(text[i + 1] === undefined || text[i + 1] === '/' || /[\s;|&<>]/.test(text[i + 1]!))) return undefined;
      literal += c;
      i += 1;
    } else if (c === ' ' || c === '\t' || c === ';' || c === '|' || c === '&' || c === '>' || c === '<') {
      break;
    } else {
      return undefined;
    }
  }
  flush();
  if (i === start) return undefined;
  // `&` alone (background) is left to the parser.
  if (text[i] === '&' && text[i + 1] !== '&' && text[i + 1] !== '>') return undefined;
  return { pieces, end: i };
}

/** The inside of `"…"`: text and `$NAME`; anything else (`$(`, backquotes, escapes) is the parser's. */
function readDoubleQuoted(inner: string, ctx: ShellContext): Piece[] | undefined {
  if (/[`\\!]/.test(inner)) return undefined;
  const pieces: Piece[] = [];
  let rest = inner;
  while (rest.length > 0) {
    const dollar = rest.indexOf('$');
    if (dollar === -1) {
      pieces.push({ alternatives: [rest], globbable: false });
      break;
    }
    if (dollar > 0) pieces.push({ alternatives: [rest.slice(0, dollar)], globbable: false });
    const name = NAME.exec(rest.slice(dollar));
    if (name === null) return undefined;
    pieces.push(variablePiece(name[1] ?? name[2], ctx));
    rest = rest.slice(dollar + name[0].length);
  }
  // An empty "" is one empty piece, as the parser's empty DblQuoted gives none: keep the word.
  return pieces.length === 0 ? [{ alternatives: [''], globbable: false }] : pieces;
}
