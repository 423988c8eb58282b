import { readdirSync, readFileSync, statSync } from 'node:fs';
import { relative as relativePath, resolve as resolvePath } from 'node:path';
import type { PathJudge } from '../path-judge.js';
import { NAME_ONLY } from './command-kinds.js';
import { expandGlob } from './glob.js';
import { checkNameCount, TooManyNames } from './bounds.js';
import { wordText, type ParsedScript, type SimpleCommand } from './model.js';
import type { Refusal } from './command-facts.js';
import { commandName } from './unwrap.js';
import { vetUserPattern } from '../../scan/user-patterns.js';

/** Rules that look across a whole command line: what flows from one command into another. */

/** Commands that send what they read to another machine. */
const NETWORK_SENDERS = /^(?:curl|wget|nc|ncat|netcat|socat|ssh|scp|sftp|telnet|ftp|http|https|xh|aws|gsutil|rclone)$/;
/** Commands that print the whole environment, where tokens live. */
const ENVIRONMENT_DUMPS = /^(?:env|printenv|set|export|declare|compgen)$/;

/** `printenv | curl -d @- …`, `curl -d "$(env)" …`: the environment (and every token in it) leaves the machine. */
export function environmentSent(script: ParsedScript): Refusal[] {
  for (const command of script.commands) {
    const name = commandName(command.argv[0]) ?? '';
    if (!NETWORK_SENDERS.test(name)) continue;
    const dumpPiped = command.pipedFrom.some((n) => ENVIRONMENT_DUMPS.test(n));
    const dumpInArgs = command.argv.some((w) => w.fromCommands?.some((n) => ENVIRONMENT_DUMPS.test(n)) === true);
    if (dumpPiped || dumpInArgs) return [{ code: 'blocked_path', reason: `${name} would send the whole environment, secrets included` }];
  }
  return [];
}

/**
 * `cat $(ls -a | grep '^.env$')`, `find . -name '.env*' | xargs cat`: a reading command whose file
 * is computed at run time, in a line that names a blocked file elsewhere, is treated as reading it.
 * So is one in a line that reads a file naming one: `cat $(cat names.txt)`,
 * `while read f; do cat "$f"; done < names.txt`, `cat names.txt | xargs cat`.
 */
export function computedNames(script: ParsedScript, judge: PathJudge): Refusal[] {
  const computed = script.commands.find((c) => {
    const name = commandName(c.argv[0]) ?? '';
    return !NAME_ONLY.has(name) && c.argv.slice(1).some((w) => w.dynamic);
  });
  if (computed === undefined) return [];
  for (const { file, name, cwd } of namesInFilesRead(script, judge.root)) {
    const reason = judge.blocked(name, cwd);
    if (reason !== undefined) return [{ code: 'blocked_path', reason: `${commandName(computed.argv[0])} reads a name computed at run time, and ${file} names ${reason}` }];
  }
  for (const command of script.commands) {
    for (const word of command.argv.slice(1)) {
      for (const text of [...word.values, ...word.globs]) {
        const name = text.replace(/^\^|\$$/g, '').replace(/\\(.)/g, '$1');
        if (name.length < 2 || name === '*') continue;
        const candidates = /[*?[]/.test(name) ? expandGlob(name, command.cwd ?? judge.root) : [name];
        for (const candidate of candidates) {
          const reason = judge.blocked(candidate, command.cwd ?? judge.root);
          if (reason !== undefined) return [{ code: 'blocked_path', reason: `${commandName(computed.argv[0])} reads a name computed at run time, and this line names ${reason}` }];
        }
      }
    }
  }
  return [];
}

/**
 * `ls -a | grep env | xargs cat`, `find . -name '*.env' | xargs cat`: the files a listing names,
 * filtered by the greps between, are what xargs hands the reading command. List them here, and
 * the names xargs reads from a here-string, a here-document or a file (`xargs cat < names.txt`).
 */
export function listedThenRead(script: ParsedScript, judge: PathJudge): Refusal[] {
  for (let i = 0; i < script.commands.length; i += 1) {
    const reader = script.commands[i]!;
    const name = commandName(reader.argv[0]) ?? '';
    if (!reader.via.includes('xargs') || NAME_ONLY.has(name)) continue;
    for (const candidate of redirectedNames(reader, judge.root)) {
      const reason = judge.blocked(candidate.path, reader.cwd ?? judge.root);
      if (reason !== undefined) return [{ code: 'blocked_path', reason: `xargs ${name} reads the names it is given on its input: ${reason}` }];
    }
    if (reader.pipedFrom.length === 0) continue;
    const producers = script.commands.slice(Math.max(0, i - reader.pipedFrom.length), i);
    const [listing, ...filters] = producers;
    if (listing === undefined) continue;
    let candidates = listed(listing, judge.root);
    for (const filter of filters) candidates = grepped(filter, candidates);
    for (const candidate of candidates) {
      const reason = judge.blocked(candidate.path, listing.cwd ?? judge.root);
      if (reason !== undefined) return [{ code: 'blocked_path', reason: `xargs ${name} reads what ${commandName(listing.argv[0])} lists: ${reason}` }];
    }
  }
  return [];
}

interface Listed {
  /** The line the listing prints (what a grep filters). */
  readonly line: string;
  readonly path: string;
}


/** Largest names file rea reads for `xargs … < file`; a larger one is refused, not read in part. */
const MAX_NAMES_FILE_BYTES = 1024 * 1024;

/** What xargs reads from its input redirects, one name per whitespace-separated word. */
/** Commands that print the files they are given, so a name in those files can reach a later command. */
const PRINTS_FILES = /^(?:cat|tac|head|tail|sort|uniq|nl|cut|paste|shuf|grep|egrep|fgrep)$/;

/** The words of each existing file the line prints or redirects in, as names a computed word may take. */
function namesInFilesRead(script: ParsedScript, root: string): { file: string; name: string; cwd: string }[] {
  const out: { file: string; name: string; cwd: string }[] = [];
  for (const command of script.commands) {
    const cwd = command.cwd ?? root;
    const printed = PRINTS_FILES.test(commandName(command.argv[0]) ?? '') ? command.argv.slice(1).map(wordText) : [];
    const redirected = command.redirects.filter((r) => r.op === '<' && (r.fd === undefined || r.fd === '0')).map((r) => wordText(r.target));
    for (const file of [...printed, ...redirected]) {
      if (file === undefined || file.startsWith('-')) continue;
      const text = readNamesFile(resolvePath(cwd, file));
      if (text === undefined) continue;
      const names = splitNames(text);
      checkNameCount(out.length + names.length, `the names in ${file}`);
      for (const name of names) out.push({ file, name, cwd });
    }
  }
  return out;
}

const splitNames = (text: string): string[] => text.split(/\s+/).filter((n) => n.length > 0).map((n) => n.replace(/^(['"])(.*)\1$/, '$2'));

function redirectedNames(reader: SimpleCommand, root: string): Listed[] {
  const cwd = reader.cwd ?? root;
  const out: Listed[] = [];
  for (const redirect of reader.redirects) {
    if (redirect.fd !== undefined && redirect.fd !== '0') continue;
    const target = wordText(redirect.target);
    let text: string | undefined;
    if (redirect.op === '<<' || redirect.op === '<<-' || redirect.op === '<<<') text = target;
    else if (redirect.op === '<' && target !== undefined) text = readNamesFile(resolvePath(cwd, target));
    if (text === undefined) continue;
    const names = splitNames(text);
    checkNameCount(out.length + names.length, 'the input xargs reads');
    for (const n of names) out.push({ line: n, path: resolvePath(cwd, n) });
  }
  return out;
}

function readNamesFile(path: string): string | undefined {
  try {
    if (statSync(path).size > MAX_NAMES_FILE_BYTES) throw new TooManyNames(`the names file ${path} is larger than ${MAX_NAMES_FILE_BYTES} bytes`);
    return readFileSync(path, 'utf8');
  } catch (error) {
    if (error instanceof TooManyNames) throw error;
    return undefined; // not there yet: xargs would read nothing from it either
  }
}

function listed(command: SimpleCommand, root: string): Listed[] {
  const name = commandName(command.argv[0]);
  const texts = command.argv.slice(1).map(wordText);
  const cwd = command.cwd ?? root;
  const operands = texts.filter((t): t is string => t !== undefined && !t.startsWith('-'));
  if (name === 'ls') {
    const all = texts.some((t) => t !== undefined && /^-[a-zA-Z]*[aA]/.test(t));
    const dir = operands[0] ?? '.';
    let entries: string[];
    try {
      entries = readdirSync(resolvePath(cwd, dir));
    } catch {
      return [];
    }
    checkNameCount(entries.length, `listing ${dir}`);
    return entries.filter((e) => all || !e.startsWith('.')).map((e) => ({ line: e, path: resolvePath(cwd, dir, e) }));
  }
  if (name === 'find') {
    const firstOption = texts.findIndex((t) => t === undefined || t.startsWith('-'));
    const roots = (firstOption === -1 ? texts : texts.slice(0, firstOption)) as string[];
    const names = texts.flatMap((t, k) => (t === '-name' || t === '-iname' ? [texts[k + 1] ?? '*'] : []));
    const out: Listed[] = [];
    for (const r of roots.length > 0 ? roots : ['.']) {
      for (const n of names.length > 0 ? names : ['*']) {
        for (const path of expandGlob(`${r}/**/${n}`, cwd, { dot: true })) out.push({ line: `${r}/${relativePath(resolvePath(cwd, r), path)}`, path });
      }
    }
    checkNameCount(out.length, 'the find listing');
    return out;
  }
  return [];
}

/** What a `grep PATTERN` (with -v, -i, -F) between the listing and xargs lets through. */
function grepped(command: SimpleCommand, input: readonly Listed[]): Listed[] {
  const name = commandName(command.argv[0]);
  if (name !== 'grep' && name !== 'egrep' && name !== 'fgrep') return [...input];
  const texts = command.argv.slice(1).map(wordText);
  const flags = texts.filter((t): t is string => t !== undefined && /^-[a-zA-Z]+$/.test(t)).join('');
  const e = texts.indexOf('-e');
  const pattern = e !== -1 ? texts[e + 1] : texts.find((t) => t !== undefined && !t.startsWith('-'));
  if (pattern === undefined) return [...input];
  const source = flags.includes('F') || name === 'fgrep' ? pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') : pattern;
  const regexFlags = flags.includes('i') ? 'i' : '';
  // The agent writes the pattern and names the files: one that does not compile, or may backtrack
  // catastrophically, is not run, and the whole listing is judged instead.
  if (vetUserPattern(source, regexFlags) !== undefined) return [...input];
  const regex = new RegExp(source, regexFlags);
  return input.filter((l) => regex.test(l.line) !== flags.includes('v'));
}
