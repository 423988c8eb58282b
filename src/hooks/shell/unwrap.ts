import { knownWord, wordText, type Word } from './model.js';

/**
 * Take off what runs another command (`sudo`, `env`, `nohup`, `timeout`, `command`, `xargs`,
 * `find -exec` …) so the rules see the command that really runs. Returns every command found:
 * `find -exec` gives find itself and the command it execs.
 */
export interface Unwrapped {
  readonly argv: readonly Word[];
  readonly via: readonly string[];
  /** `NAME=value` words `env` took off. */
  readonly assignments?: readonly string[];
}

/** Prefix commands and the options of theirs that take a value. */
const PREFIXES: Record<string, { readonly valued: RegExp; readonly positional?: number }> = {
  sudo: { valued: /^-[ugpCDhRrTt]$|^--(?:user|group|prompt|close-from|chdir|host|role|type|command-timeout)$/ },
  doas: { valued: /^-[uC]$/ },
  env: { valued: /^-[uSC]$|^--(?:unset|chdir|split-string)$/ },
  nohup: { valued: /^$/ },
  nice: { valued: /^-n$|^--adjustment$/ },
  ionice: { valued: /^-[cnp]$/ },
  timeout: { valued: /^-[ks]$|^--(?:kill-after|signal)$/, positional: 1 },
  time: { valued: /^-[fo]$/ },
  command: { valued: /^$/ },
  builtin: { valued: /^$/ },
  exec: { valued: /^-a$/ },
  stdbuf: { valued: /^-[ioe]$/ },
  chronic: { valued: /^$/ },
  caffeinate: { valued: /^-[t]$/ },
  watch: { valued: /^-[nd]$|^--(?:interval)$/ },
  strace: { valued: /^-[eopsu]$/ },
  ltrace: { valued: /^-[eopsu]$/ },
  flock: { valued: /^-[wE]$/, positional: 1 },
  setsid: { valued: /^$/ },
  unbuffer: { valued: /^$/ },
  'npx': { valued: /^-p$|^--package$/ },
};

const MAX_UNWRAP = 16;

export function unwrapCommand(argv: readonly Word[]): Unwrapped[] {
  const via: string[] = [];
  const assignments: string[] = [];
  const out: Unwrapped[] = [];
  let rest = [...argv];
  for (let round = 0; round < MAX_UNWRAP; round += 1) {
    const name = commandName(rest[0]);
    if (name === undefined) break;
    const prefix = PREFIXES[name];
    if (prefix !== undefined) {
      const next = skipOptions(rest.slice(1), prefix.valued, name === 'env' ? assignments : undefined, prefix.positional ?? 0);
      if (next.length === 0) break;
      via.push(name);
      rest = next;
      continue;
    }
    if (name === 'xargs') {
      const next = skipOptions(rest.slice(1), /^-[EIiLlnPsda]$|^--(?:eof|replace|max-lines|max-args|max-procs|max-chars|delimiter|arg-file)$/, undefined, 0);
      // `xargs -a FILE cmd` reads its names from FILE: the line reads FILE, as `cat FILE` would.
      const argFile = xargsArgFile(rest.slice(1, rest.length - next.length));
      if (argFile !== undefined) out.push({ argv: [knownWord('cat'), argFile], via: [...via, 'xargs'], assignments });
      via.push('xargs');
      // The input lines become extra arguments: unknown text.
      rest = next.length === 0 ? [knownWord('echo'), unknownWord()] : [...next, unknownWord()];
      continue;
    }
    if (name === 'find') return [...out, ...findWithExec(rest, via)];
    break;
  }
  return [...out, { argv: rest, via, assignments }];
}

/** The file named by xargs's `-a FILE`, `--arg-file FILE` or `--arg-file=FILE`, if any. */
function xargsArgFile(options: readonly Word[]): Word | undefined {
  for (let i = 0; i < options.length; i += 1) {
    const t = wordText(options[i]);
    if (t === '-a' || t === '--arg-file') return options[i + 1];
    if (t?.startsWith('--arg-file=')) return knownWord(t.slice('--arg-file='.length));
  }
  return undefined;
}

/** `find P… -exec cmd … {} ;`: find reads P, and cmd runs on what it finds (named by -name). */
function findWithExec(argv: readonly Word[], via: readonly string[]): Unwrapped[] {
  const out: Unwrapped[] = [];
  const texts = argv.map(wordText);
  const roots: string[] = [];
  for (let i = 1; i < texts.length && texts[i] !== undefined && !texts[i]!.startsWith('-') && texts[i] !== '(' && texts[i] !== '!'; i += 1) roots.push(texts[i]!);
  const names: string[] = [];
  const found: Word[] = [];
  for (let i = 1; i < argv.length; i += 1) {
    const t = texts[i];
    if ((t === '-name' || t === '-iname' || t === '-path' || t === '-ipath') && texts[i + 1] !== undefined) names.push(texts[i + 1]!);
  }
  for (const root of roots.length > 0 ? roots : ['.']) {
    for (const name of names.length > 0 ? names : ['*']) found.push({ values: [], globs: [`${root}/**/${name}`], dynamic: true, decoded: false, downloaded: false, dotGlobs: true });
  }
  const head: Word[] = [];
  for (let i = 0; i < argv.length; i += 1) {
    const t = texts[i];
    if (t === '-exec' || t === '-execdir' || t === '-ok' || t === '-okdir') {
      const cmd: Word[] = [];
      for (i += 1; i < argv.length && texts[i] !== ';' && texts[i] !== '+'; i += 1) {
        if (texts[i] === '{}') cmd.push(...found);
        else cmd.push(argv[i]!);
      }
      if (cmd.length > 0) out.push(...unwrapCommand(cmd).map((u) => ({ argv: u.argv, via: [...via, 'find', ...u.via] })));
    } else if (t === '-delete') {
      // Without a name test, find -delete removes the whole tree, as rm -r would.
      const targets = names.length > 0 ? found : (roots.length > 0 ? roots : ['.']).map(knownWord);
      out.push({ argv: [knownWord('rm'), ...(names.length > 0 ? [] : [knownWord('-r')]), ...targets], via: [...via, 'find'] });
    } else head.push(argv[i]!);
  }
  return [{ argv: head, via }, ...out];
}

function skipOptions(args: readonly Word[], valued: RegExp, assignments: string[] | undefined, positional: number): Word[] {
  let i = 0;
  while (i < args.length) {
    const t = wordText(args[i]);
    if (t === undefined) break;
    if (t === '--') {
      i += 1;
      break;
    }
    if (t.startsWith('-') && t.length > 1) {
      i += valued.test(t) ? 2 : 1;
      continue;
    }
    if (assignments !== undefined && /^[A-Za-z_][A-Za-z0-9_]*=/.test(t)) {
      assignments.push(t.slice(0, t.indexOf('=')));
      i += 1;
      continue;
    }
    break;
  }
  return args.slice(i + positional);
}

export function commandName(word: Word | undefined): string | undefined {
  const text = wordText(word);
  if (text === undefined) return undefined;
  const slash = text.lastIndexOf('/');
  return slash === -1 ? text : text.slice(slash + 1);
}

const unknownWord = (): Word => ({ values: [], globs: ['*'], dynamic: true, decoded: false, downloaded: false });
