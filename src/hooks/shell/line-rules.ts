import { readdirSync } from 'node:fs';
import { relative as relativePath, resolve as resolvePath } from 'node:path';
import type { PathJudge } from '../path-judge.js';
import { NAME_ONLY } from './command-kinds.js';
import { expandGlob } from './glob.js';
import { checkNameCount } from './bounds.js';
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
 */
export function computedNames(script: ParsedScript, judge: PathJudge): Refusal[] {
  const computed = script.commands.find((c) => {
    const name = commandName(c.argv[0]) ?? '';
    return !NAME_ONLY.has(name) && c.argv.slice(1).some((w) => w.dynamic);
  });
  if (computed === undefined) return [];
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
 * filtered by the greps between, are what xargs hands the reading command. List them here.
 */
export function listedThenRead(script: ParsedScript, judge: PathJudge): Refusal[] {
  for (let i = 0; i < script.commands.length; i += 1) {
    const reader = script.commands[i]!;
    const name = commandName(reader.argv[0]) ?? '';
    if (!reader.via.includes('xargs') || NAME_ONLY.has(name) || reader.pipedFrom.length === 0) continue;
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
