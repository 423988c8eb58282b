import type { ShNode } from 'mvdan-sh';
import type { Syntax } from './load-parser.js';
import type { ShellContext } from './context.js';
import type { Word } from './model.js';
import { operatorName } from './operators.js';
import { checkNameCount } from './bounds.js';

/**
 * Evaluate a mvdan-sh `Word` without running anything: literals, quotes (`$'…'` escapes
 * included), `~`, known variables and brace expansion give values; globs and unknown parts (`$X`
 * unset, `$(…)`, arithmetic) give globs where unknown parts stand as `*`.
 */

/** Commands whose output is decoded text: feeding it to a shell or eval hides what runs. */
const DECODERS = /^(?:base64|base32|basenc|xxd|uudecode|rev|openssl|gpg|gunzip|zcat|bunzip2|xz|unxz|tr)$/;
const DOWNLOADERS = /^(?:curl|wget|fetch|aria2c|http|https|nc|ncat)$/;

/** Sub-statements met inside words, handed back to the walker so their commands are checked too. */
export type NestedStatements = (stmts: readonly ShNode[], ctx: ShellContext) => { names: string[] };

export interface Piece {
  /** Alternatives for this piece (known text), or undefined when unknown. */
  readonly alternatives: readonly string[] | undefined;
  /** Unquoted text that the shell would glob-expand. */
  readonly globbable: boolean;
  readonly decoded?: boolean;
  readonly downloaded?: boolean;
  /** For command output: the commands that produce it. */
  readonly commands?: readonly string[];
}

export function evaluateWord(syntax: Syntax, word: ShNode, ctx: ShellContext, nested: NestedStatements): Word {
  const parts = (word['Parts'] as ShNode[] | undefined) ?? [];
  const pieces: Piece[] = [];
  parts.forEach((part, index) => pieces.push(...evaluatePart(syntax, part, ctx, nested, index === 0, false)));
  return combine(pieces);
}

function evaluatePart(syntax: Syntax, part: ShNode, ctx: ShellContext, nested: NestedStatements, first: boolean, quoted: boolean): Piece[] {
  switch (syntax.NodeType(part)) {
    case 'Lit': {
      const text = String(part['Value']);
      return [quoted ? { alternatives: [text], globbable: false } : literalPiece(text, first, ctx.home)];
    }
    case 'SglQuoted': {
      const value = String(part['Value']);
      return [{ alternatives: [part['Dollar'] === true ? ansiC(value) : value], globbable: false }];
    }
    case 'DblQuoted': {
      const inner = (part['Parts'] as ShNode[] | undefined) ?? [];
      return inner.flatMap((p) => evaluatePart(syntax, p, ctx, nested, false, true));
    }
    case 'ParamExp': {
      const name = String((part['Param'] as ShNode | undefined)?.['Value'] ?? '');
      const plain = part['Exp'] == null && part['Slice'] == null && part['Repl'] == null && part['Length'] !== true && part['Index'] == null && part['Excl'] !== true;
      return [variablePiece(plain ? name : undefined, ctx)];
    }
    case 'CmdSubst': {
      const stmts = (part['Stmts'] as ShNode[] | undefined) ?? [];
      const { names } = nested(stmts, ctx);
      const echoed = echoedText(syntax, stmts, ctx);
      if (echoed !== undefined) return [{ alternatives: [echoed], globbable: false }];
      return [{ alternatives: undefined, globbable: false, decoded: names.some(isDecoder), downloaded: names.some(isDownloader), commands: names }];
    }
    case 'ProcSubst': {
      const { names } = nested((part['Stmts'] as ShNode[] | undefined) ?? [], ctx);
      return [{ alternatives: undefined, globbable: false, decoded: names.some(isDecoder), downloaded: names.some(isDownloader) }];
    }
    case 'ExtGlob':
      return [{ alternatives: [`${String((part['Op'] as number | undefined) ?? '')}`], globbable: true }];
    default:
      // Arithmetic and anything newer: unknown, but its inner commands (if any) are still checked.
      syntax.Walk(part, (node) => {
        if (node !== null && syntax.NodeType(node) === 'CmdSubst') nested((node['Stmts'] as ShNode[] | undefined) ?? [], ctx);
        return true;
      });
      return [{ alternatives: undefined, globbable: false }];
  }
}

export const isDecoder = (name: string): boolean => DECODERS.test(name);
export const isDownloader = (name: string): boolean => DOWNLOADERS.test(name);

/**
 * `$(echo x)`, `$(printf '\x2eenv')`, `$(echo LmVudg== | base64 -d)`: text a substitution prints
 * without reading anything is known before it runs, and a cheap way to hide a path, so follow it.
 */
function echoedText(syntax: Syntax, stmts: readonly ShNode[], ctx: ShellContext): string | undefined {
  if (stmts.length !== 1) return undefined;
  const cmd = stmts[0]!['Cmd'] as ShNode | null | undefined;
  if (cmd === undefined || cmd === null) return undefined;
  if (syntax.NodeType(cmd) === 'BinaryCmd' && operatorName(cmd['Op'] as number) === '|') {
    const input = echoedText(syntax, [cmd['X'] as ShNode], ctx);
    const filter = staticCall(syntax, (cmd['Y'] as ShNode)['Cmd'] as ShNode | null, ctx);
    return input === undefined || filter === undefined ? undefined : decodeWith(filter, input);
  }
  const texts = staticCall(syntax, cmd, ctx);
  if (texts === undefined) return undefined;
  const [name, ...rest] = texts;
  if (name === 'echo') {
    const flags = rest.filter((r) => /^-[neE]+$/.test(r)).join('');
    const text = rest.filter((r) => !/^-[neE]+$/.test(r)).join(' ');
    return flags.includes('e') ? ansiC(text) : text;
  }
  if (name === 'printf' && rest.length === 1 && !rest[0]!.includes('%')) return ansiC(rest[0]!);
  if (name === 'printf' && rest[0] === '%s') return rest.slice(1).join('');
  if (name === 'pwd' && rest.length === 0) return ctx.cwd;
  // `$(which rm)`, `$(command -v rm)`: the command's own name stands in for its path.
  if ((name === 'which' && rest.length === 1) || (name === 'command' && rest[0] === '-v' && rest.length === 2) || (name === 'type' && rest[0] === '-P' && rest.length === 2)) return rest.at(-1);
  return undefined;
}

/** The words of a simple command when every one is known, else undefined. */
function staticCall(syntax: Syntax, cmd: ShNode | null, ctx: ShellContext): string[] | undefined {
  if (cmd === null || syntax.NodeType(cmd) !== 'CallExpr') return undefined;
  const words = (cmd['Args'] as ShNode[]).map((w) => evaluateWord(syntax, w, ctx, () => ({ names: [] })));
  const texts = words.map((w) => (w.dynamic || w.globs.length > 0 || w.values.length !== 1 ? undefined : w.values[0]));
  return texts.some((t) => t === undefined) ? undefined : (texts as string[]);
}

/** What `base64 -d`, `xxd -r -p` or `rev` make of known text. */
function decodeWith(filter: readonly string[], text: string): string | undefined {
  const [name, ...flags] = filter;
  if (name === 'base64' && flags.some((f) => /^(?:-d|-D|--decode)$/.test(f))) return Buffer.from(text.trim(), 'base64').toString('utf8');
  if (name === 'xxd' && flags.includes('-r') && flags.includes('-p')) return Buffer.from(text.replace(/\s+/g, ''), 'hex').toString('utf8');
  if (name === 'rev' && flags.length === 0) return [...text.replace(/\n$/, '')].reverse().join('');
  return undefined;
}

/** What bash expands against the tree: `*`, `?`, or a closed `[…]` (a lone `[` is the test command). */
const GLOB = /[*?]|\[[^\]/]+\]/;

/** `$NAME`: its value when set earlier or in the environment; `undefined` name: an expansion with operators. */
export function variablePiece(name: string | undefined, ctx: ShellContext): Piece {
  const known = name === undefined ? undefined : ctx.vars.get(name);
  // A loop variable over `src/*.ts` stands for the files that glob names.
  if (known !== undefined && !known.dynamic) return { alternatives: [...known.values, ...known.globs], globbable: known.globs.length > 0 };
  return { alternatives: undefined, globbable: false, decoded: known?.decoded, downloaded: known?.downloaded };
}

/** An unquoted literal: `~` and `~/…` at the start of a word are the home directory; braces expand. */
export function literalPiece(raw: string, first: boolean, home: string): Piece {
  let text = raw;
  if (first && (text === '~' || text.startsWith('~/'))) text = home + text.slice(1);
  text = text.replace(/\\(.)/gs, (_, c: string) => c);
  return { alternatives: expandBraces(text), globbable: GLOB.test(text) };
}

export function combine(pieces: readonly Piece[]): Word {
  let values: string[] = [''];
  let globs: string[] = [''];
  let dynamic = false;
  let globbing = false;
  let decoded = false;
  let downloaded = false;
  let fromCommands: string[] | undefined = [];
  for (const piece of pieces) {
    decoded ||= piece.decoded === true;
    downloaded ||= piece.downloaded === true;
    if (piece.alternatives === undefined) {
      fromCommands = piece.commands === undefined || fromCommands === undefined ? undefined : [...fromCommands, ...piece.commands];
      dynamic = true;
      globs = globs.map((g) => (g.endsWith('*') ? g : `${g}*`));
      continue;
    }
    globbing ||= piece.globbable;
    const alts = piece.alternatives;
    const escaped = piece.globbable ? alts : alts.map(escapeGlob);
    values = cross(values, alts);
    globs = cross(globs, escaped);
  }
  if (!dynamic && !globbing) return { values, globs: [], dynamic, decoded, downloaded };
  return { values: dynamic ? [] : values, globs, dynamic, decoded, downloaded, ...(dynamic && fromCommands !== undefined ? { fromCommands } : {}) };
}

function cross(prefixes: readonly string[], alternatives: readonly string[]): string[] {
  checkNameCount(prefixes.length * alternatives.length, 'a word');
  const out: string[] = [];
  for (const p of prefixes) for (const a of alternatives) out.push(p + a);
  return out;
}

const escapeGlob = (text: string): string => text.replace(/[*?[\]\\]/g, '\\$&');

/** Bash brace expansion of one unquoted literal: `{a,b}` and `{1..3}`, nested, in bash's order. */
function expandBraces(text: string): string[] {
  const open = findBrace(text);
  if (open === undefined) return [text];
  const { start, end, options } = open;
  const prefix = text.slice(0, start);
  const tails = expandBraces(text.slice(end + 1));
  const out: string[] = [];
  for (const option of options) {
    const heads = expandBraces(option);
    checkNameCount(out.length + heads.length * tails.length, 'a brace expansion');
    for (const head of heads) for (const tail of tails) out.push(prefix + head + tail);
  }
  return out;
}

function findBrace(text: string): { start: number; end: number; options: string[] } | undefined {
  for (let start = text.indexOf('{'); start !== -1; start = text.indexOf('{', start + 1)) {
    let depth = 0;
    const commas: number[] = [];
    for (let i = start; i < text.length; i += 1) {
      const c = text[i];
      if (c === '{') depth += 1;
      else if (c === '}') {
        depth -= 1;
        if (depth === 0) {
          const body = text.slice(start + 1, i);
          if (commas.length > 0) {
            const bounds = [start, ...commas, i];
            const options = bounds.slice(0, -1).map((b, k) => text.slice(b + 1, bounds[k + 1]));
            return { start, end: i, options };
          }
          const range = /^(-?\d+|[a-zA-Z])\.\.(-?\d+|[a-zA-Z])$/.exec(body);
          if (range) return { start, end: i, options: sequence(range[1]!, range[2]!) };
          break;
        }
      } else if (c === ',' && depth === 1) commas.push(i);
    }
  }
  return undefined;
}

function sequence(from: string, to: string): string[] {
  const numeric = /\d/.test(from);
  const a = numeric ? Number(from) : from.charCodeAt(0);
  const b = numeric ? Number(to) : to.charCodeAt(0);
  const step = a <= b ? 1 : -1;
  checkNameCount(Math.abs(b - a) + 1, `the sequence {${from}..${to}}`);
  const out: string[] = [];
  for (let v = a; ; v += step) {
    out.push(numeric ? String(v) : String.fromCharCode(v));
    if (v === b) return out;
  }
}

/** The escapes of bash's `$'…'` quoting. */
function ansiC(value: string): string {
  const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', e: '\x1b', E: '\x1b', f: '\f', v: '\v', '\\': '\\', "'": "'", '"': '"', '?': '?' };
  return value.replace(/\\(x[0-9a-fA-F]{1,2}|u[0-9a-fA-F]{1,4}|U[0-9a-fA-F]{1,8}|[0-7]{1,3}|c.|.)/gs, (whole, esc: string) => {
    if (/^[xuU]/.test(esc)) return String.fromCodePoint(Number.parseInt(esc.slice(1), 16));
    if (/^[0-7]/.test(esc)) return String.fromCharCode(Number.parseInt(esc, 8));
    if (esc.startsWith('c')) return String.fromCharCode(esc.charCodeAt(1) & 31);
    return simple[esc] ?? whole;
  });
}
