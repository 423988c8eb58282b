import { knownWord, type Redirect, type Word } from './model.js';

/**
 * The commands most agents run (`git status`, `npm test 2>&1 | tail -20`, `cat src/a.ts`) hold no
 * syntax that needs a parser: plain words, quotes without expansions, `| && || ;` and simple
 * redirections. This reader settles exactly those, the same way the full parser would (a test
 * checks both agree), and returns undefined for anything else, which goes to the parser. It saves
 * a hook the parser's start-up on most calls.
 */
export interface PlainCommand {
  readonly argv: readonly Word[];
  readonly redirects: readonly Redirect[];
}

/** A list of pipelines and the operator before each (`undefined` for the first). */
export type PlainScript = readonly { readonly op: '&&' | '||' | ';' | undefined; readonly pipeline: readonly PlainCommand[] }[];

const DECLARATIONS = new Set(['export', 'declare', 'typeset', 'local', 'readonly', 'let']);
const SAFE = /[A-Za-z0-9_@%+=:,./-]/;
const REDIRECT = /^(\d*)(>>|>&|>|<|&>)/;

export function splitPlain(text: string): PlainScript | undefined {
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
      if (text[i + redirect[0].length] === '>' || text[i + redirect[0].length] === '|' || text[i + redirect[0].length] === '&' || text[i + redirect[0].length] === '(') return undefined;
      pendingRedirect = { op: redirect[2]!, fd: redirect[1] === '' ? undefined : redirect[1] };
      i += redirect[0].length;
      continue;
    }
    const word = readWord(text, i);
    if (word === undefined) return undefined;
    i = word.end;
    if (pendingRedirect !== undefined) {
      redirects.push({ ...pendingRedirect, target: knownWord(word.value) });
      pendingRedirect = undefined;
    } else {
      // Assignments (`X=1 cmd`) and declarations (`export X=1`) are the parser's business.
      if (argv.length === 0 && ((/^[A-Za-z_][A-Za-z0-9_]*=/.test(word.value) && word.unquotedHead) || DECLARATIONS.has(word.value))) return undefined;
      argv.push(knownWord(word.value));
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

/** One word of safe characters and quotes without expansions, or undefined when it holds more. */
function readWord(text: string, start: number): { value: string; end: number; unquotedHead: boolean } | undefined {
  let value = '';
  let i = start;
  while (i < text.length) {
    const c = text[i]!;
    if (c === "'") {
      const close = text.indexOf("'", i + 1);
      if (close === -1) return undefined;
      value += text.slice(i + 1, close);
      i = close + 1;
    } else if (c === '"') {
      const close = text.indexOf('"', i + 1);
      if (close === -1) return undefined;
      const inner = text.slice(i + 1, close);
      if (/[$`\\!]/.test(inner)) return undefined;
      value += inner;
      i = close + 1;
    } else if (SAFE.test(c)) {
      value += c;
      i += 1;
    } else if (c === ' ' || c === '\t' || c === ';' || c === '|' || c === '&' || c === '>' || c === '<') {
      break;
    } else {
      return undefined;
    }
  }
  if (i === start) return undefined;
  // `&` alone (background) and a word running into `>`/`<` (`a>b`) are left to the parser.
  if (text[i] === '&' && text[i + 1] !== '&' && text[i + 1] !== '>') return undefined;
  return { value, end: i, unquotedHead: text[start] !== "'" && text[start] !== '"' };
}
