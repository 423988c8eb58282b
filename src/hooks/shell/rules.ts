import type { Tier } from '../../policy/levels.js';
import type { PathJudge } from '../path-judge.js';
import { CHANGES_ARGUMENTS, DATABASE_CLIENTS, INTERPRETERS, NAME_ONLY, READ_ONLY } from './command-kinds.js';
import { expandGlob } from './glob.js';
import { wordText, type ParsedScript, type SimpleCommand, type Word } from './model.js';
import { commandName } from './unwrap.js';
import { inlineCode } from './collector.js';
import { SCAN_EXEMPT_ATTRIBUTE } from '../../git-gates/scan-exemptions.js';

/** What the rules found in one command line. */
export interface ShellVerdict {
  readonly tier: Tier;
  /** Refusals whatever the autonomy level: blocked paths and governance tampering. */
  readonly refusals: readonly { readonly code: 'blocked_path' | 'governance'; readonly reason: string }[];
  /** Why the line is destructive (empty when it is not). */
  readonly destructive: readonly string[];
}

type Refusal = ShellVerdict['refusals'][number];

/** rea's own commands an agent may run; the rest (unfreeze, promote, tofu accept, init…) are a human's. */
const REA_AGENT_COMMANDS = /^(?:status|check|doctor|freeze|help|--help|-h|--version|-V|audit (?:verify|tail|query|summary)|tofu (?:list|diff))$/;
const WRITE_REDIRECTS = new Set(['>', '>>', '>|', '&>', '&>>', '<>']);
/** Option names whose value is a file: `--file=x`, `if=x`, `--output=x`, `--config=x`. */
const FILE_OPTION = /file|path|dir|^if$|^of$|out|input|conf|data|upload|cert|key|from|src|source|dest|target|include|load|read|^[a-z]$/i;
/** Commands that send what they read to another machine. */
const NETWORK_SENDERS = /^(?:curl|wget|nc|ncat|netcat|socat|ssh|scp|sftp|telnet|ftp|http|https|xh|aws|gsutil|rclone)$/;
/** Commands that print the whole environment, where tokens live. */
const ENVIRONMENT_DUMPS = /^(?:env|printenv|set|export|declare|compgen)$/;

/** Commands that copy, pack or send whole directories: one holding a blocked file sends it too. */
const SENDS_DIRECTORIES = /^(?:tar|zip|7z|rar|rsync|scp|cp|rclone|gsutil|aws|az|s3cmd|curl|croc|magic-wormhole|nc|ncat|socat)$/;
const DESTRUCTIVE_SQL = /\bdrop\s+(?:table|database|schema|collection|keyspace|user|role)\b|\btruncate\s+(?:table\s+)?\w|\bflushall\b|\bflushdb\b|dropDatabase\s*\(|\bdelete\s+from\s+\w+\s*;?\s*(?:$|["'])/i;
const DEVICE = /^\/dev\/(?!null$|stdout$|stderr$|stdin$|tty$|fd\/)/;

export function judgeScript(script: ParsedScript, judge: PathJudge, source: string): ShellVerdict {
  const refusals: Refusal[] = [];
  const destructive: string[] = [];
  let tier: Tier = 'read';
  const raise = (t: Tier): void => {
    if (t === 'destructive' || (t === 'write' && tier === 'read')) tier = t;
  };
  // The attribute that exempts paths from the pre-commit secret scan is the human's to set.
  if (source.includes(SCAN_EXEMPT_ATTRIBUTE)) refusals.push({ code: 'governance', reason: `${SCAN_EXEMPT_ATTRIBUTE} (the secret-scan exemption) is set by a human, not the agent` });
  // `HUSKY=0 git commit`, `export HUSKY=0`: turns the git gates off for what follows.
  for (const name of script.assigned) if (/^HUSKY(?:_SKIP_HOOKS)?$/.test(name)) refusals.push({ code: 'governance', reason: `setting ${name} turns the git gates off` });
  for (const name of script.forkBombs) destructive.push(`function ${name} calls itself in the background (a fork bomb)`);
  for (const o of script.opaque) {
    if (o.downloaded) destructive.push(`${o.command} runs a download rea cannot see`);
    else if (o.decoded) destructive.push(`${o.command} runs decoded text rea cannot see`);
    else if (o.hidden) destructive.push(`${o.command} runs text rea cannot see`);
  }
  destructive.push(...downloadThenRun(script));
  // `echo "DROP TABLE x" | psql`: the SQL may reach the client from anywhere in the line.
  if (script.commands.some((c) => DATABASE_CLIENTS.test(commandName(c.argv[0]) ?? '')) && DESTRUCTIVE_SQL.test(source)) destructive.push('SQL that drops or truncates data goes to a database client');
  refusals.push(...environmentSent(script), ...computedNames(script, judge));
  for (const command of script.commands) {
    const facts = new CommandFacts(command, judge);
    const found = judgeCommand(facts);
    refusals.push(...found.refusals);
    destructive.push(...found.destructive);
    raise(found.tier);
  }
  if (destructive.length > 0) raise('destructive');
  return { tier, refusals: dedupe(refusals), destructive: [...new Set(destructive)] };
}

/** One command's words, as text and as the paths they name. */
class CommandFacts {
  readonly name: string;
  readonly args: readonly Word[];
  readonly texts: readonly (string | undefined)[];
  readonly cwd: string;

  constructor(
    readonly command: SimpleCommand,
    readonly judge: PathJudge,
  ) {
    this.name = commandName(command.argv[0]) ?? '';
    this.args = command.argv.slice(1);
    this.texts = this.args.map(wordText);
    this.cwd = command.cwd ?? judge.root;
  }

  has(flag: RegExp): boolean {
    return this.texts.some((t) => t !== undefined && flag.test(t));
  }

  /** Every concrete path a word may name: its values, its globs expanded, option values (`--file=x`, `@x`). */
  paths(word: Word): string[] {
    const out = new Set<string>();
    for (const value of word.values) {
      out.add(value);
      // `-F f=@.env`, `HEAD:.env`, `host:.env`, `a,b`: the part after the separator is a path too;
      // after `=` only for options that take a file (`--file=.env`, `if=.env`), not `--grep=.env`.
      for (const part of value.split(/[@,:]/).slice(1)) if (part.length > 0) out.add(part);
      const assignment = /^-{0,2}([\w.-]*)=(.+)$/.exec(value);
      if (assignment && FILE_OPTION.test(assignment[1]!)) out.add(assignment[2]!);
      if (/^-[A-Za-z]./.test(value) && !value.includes('=')) out.add(value.slice(2));
    }
    // A word that is wholly unknown (`"$f"` of an unknown f, `<(…)`) names nothing we can check.
    for (const glob of word.globs) {
      if (glob === '*') continue;
      for (const match of expandGlob(glob, this.cwd)) out.add(match);
      // `"$(pwd)/.env"`, `$DIR/.env`: an unknown directory in front; check the rest as named here too.
      const tail = glob.replace(/^(?:\*\/)+/, '');
      if (tail !== glob && !/[*?[]/.test(tail)) out.add(tail);
    }
    return [...out];
  }

  positional(): Word[] {
    return this.args.filter((w, i) => !(this.texts[i] ?? '').startsWith('-'));
  }
}

function judgeCommand(f: CommandFacts): { tier: Tier; refusals: Refusal[]; destructive: string[] } {
  const refusals: Refusal[] = [];
  const destructive: string[] = [];
  const { name, judge } = f;
  const readsContents = !NAME_ONLY.has(name) && !(name === 'git' && gitSubcommand(f) === 'commit');
  // Blocked paths: no command may read or send them, whatever it is.
  if (readsContents) {
    for (const word of f.args) {
      for (const path of f.paths(word)) {
        const reason = judge.blocked(path, f.cwd);
        if (reason !== undefined) refusals.push({ code: 'blocked_path', reason: `${name} names ${reason}` });
      }
    }
    if (INTERPRETERS.test(name)) refusals.push(...inlineCodePaths(f));
    if (SENDS_DIRECTORIES.test(name) && (name !== 'cp' || f.has(/^-[a-zA-Z]*[rRa]|^--recursive$|^--archive$/))) refusals.push(...directoriesHolding(f));
  }
  for (const redirect of f.command.redirects) {
    for (const path of f.paths(redirect.target)) {
      if (redirect.op === '<<' || redirect.op === '<<-' || redirect.op === '<<<' || path === '&' || /^\d+$|^-$/.test(path)) continue;
      const blocked = judge.blocked(path, f.cwd);
      if (blocked !== undefined) refusals.push({ code: 'blocked_path', reason: `a redirection names ${blocked}` });
      if (WRITE_REDIRECTS.has(redirect.op) || redirect.op === '>&') {
        const governance = judge.governance(path, f.cwd);
        if (governance !== undefined) refusals.push({ code: 'governance', reason: `a redirection writes ${governance}` });
        if (DEVICE.test(path)) destructive.push(`a redirection writes the device ${path}`);
      }
    }
  }
  refusals.push(...governanceTampering(f));
  destructive.push(...destructiveReasons(f));
  const writes = f.command.redirects.some((r) => WRITE_REDIRECTS.has(r.op) && !f.paths(r.target).every((p) => p === '/dev/null' || p === '&1' || p === '&2'));
  const tier: Tier = destructive.length > 0 ? 'destructive' : writes || !isReadOnly(f) ? 'write' : 'read';
  return { tier, refusals, destructive };
}

/** `tar czf x.tgz .` with a `.env` in it: every directory argument is searched (bounded) for blocked files. */
function directoriesHolding(f: CommandFacts): Refusal[] {
  const out: Refusal[] = [];
  for (const word of f.positional()) {
    for (const path of f.paths(word)) {
      for (const dir of f.judge.resolve(path, f.cwd)) {
        const found = f.judge.blockedInside(dir);
        if (found !== undefined) out.push({ code: 'blocked_path', reason: `${f.name} sends the directory ${dir}, which holds ${found}` });
      }
    }
  }
  return out;
}

function isReadOnly(f: CommandFacts): boolean {
  if (f.name === 'git') return /^(?:status|log|diff|show|blame|branch|remote|rev-parse|ls-files|grep|describe|shortlog|tag|config|reflog|cat-file|ls-tree|fetch|help|version|--version)$/.test(gitSubcommand(f) ?? '') && !gitWritesRefs(f);
  if (f.name === 'sed') return !f.has(/^-[a-zA-Z]*i|^--in-place/);
  if (f.name === 'tee') return f.positional().length === 0;
  if (f.name === 'awk' || f.name === 'gawk') return !f.has(/system\s*\(|print[^|]*>|\|\s*"/);
  if (f.name === 'find') return !f.has(/^-(?:delete|exec|execdir|ok|okdir|fprint|fprintf|fls)$/);
  if (f.name === 'rea') return true;
  if (/^(?:npm|pnpm|yarn)$/.test(f.name)) return /^(?:ls|list|view|info|outdated|audit|why|explain|config|help|--version|-v)$/.test(f.texts[0] ?? '');
  return READ_ONLY.has(f.name);
}

function gitSubcommand(f: CommandFacts): string | undefined {
  for (let i = 0; i < f.texts.length; i += 1) {
    const t = f.texts[i];
    if (t === undefined) return undefined;
    if (t === '-c' || t === '-C' || t === '--git-dir' || t === '--work-tree' || t === '--namespace') {
      i += 1;
      continue;
    }
    if (!t.startsWith('-')) return t;
  }
  return undefined;
}

/** `git branch -D`, `git tag -d`, `git config x y`: read-looking subcommands that change things. */
function gitWritesRefs(f: CommandFacts): boolean {
  const sub = gitSubcommand(f);
  if (sub === 'branch' || sub === 'tag') return f.has(/^-[a-zA-Z]*[dDmMcCf]|^--(?:delete|move|copy|force|set-upstream)/) || (sub === 'tag' && f.positional().length > 1);
  if (sub === 'config') return f.positional().length > 2 || f.has(/^--(?:unset|add|replace-all|remove-section|rename-section|edit)|^-e$/);
  if (sub === 'remote') return f.positional().length > 1;
  return false;
}

/** `python -c "open('.env')"`, `node -e "fs.readFileSync('.env')"`: look at the paths the code names. */
function inlineCodePaths(f: CommandFacts): Refusal[] {
  const out: Refusal[] = [];
  for (const code of inlineCode(f.command)) {
    for (const token of code.split(/[^\w.~/@%+-]+/)) {
      if (token.length < 2 || !/[./~]/.test(token)) continue;
      const blocked = f.judge.blocked(token, f.cwd);
      if (blocked !== undefined) out.push({ code: 'blocked_path', reason: `${f.name} code names ${blocked}` });
      const governance = f.judge.governance(token, f.cwd);
      if (governance !== undefined) out.push({ code: 'governance', reason: `${f.name} code names ${governance}` });
    }
  }
  return out;
}

function governanceTampering(f: CommandFacts): Refusal[] {
  const out: Refusal[] = [];
  const { name } = f;
  const refuse = (reason: string): void => {
    out.push({ code: 'governance', reason });
  };
  if (name === 'git') {
    const sub = gitSubcommand(f);
    if (f.texts.some((t, i) => t !== undefined && /core\.hookspath/i.test(t) && (i === 0 || f.texts[i - 1] === '-c' || sub === 'config'))) refuse('git may not change core.hooksPath');
    if (f.has(/^--no-verify$/) || (sub === 'commit' && f.texts.some((t) => t !== undefined && /^-[a-zA-Z]*n/.test(t) && !/^-[a-zA-Z]*[mFC]/.test(t.slice(0, t.indexOf('n')))))) refuse('git hooks may not be skipped (--no-verify)');
  }
  if (name === 'rea' || (/^node$/.test(name) && f.texts[0] !== undefined && /rea\/dist\/cli\/index\.js$|\/rea$/.test(f.texts[0]))) {
    const words = (name === 'rea' ? f.texts : f.texts.slice(1)).filter((t) => t === undefined || !t.startsWith('--dir'));
    const verb = words.slice(0, 2).join(' ');
    if (!REA_AGENT_COMMANDS.test(words[0] ?? '') && !REA_AGENT_COMMANDS.test(verb)) refuse(`\`rea ${words.join(' ')}\` is for a human to run`);
  }
  const changes = CHANGES_ARGUMENTS.has(name) || !isReadOnly(f);
  if (changes) {
    for (const word of f.args) {
      for (const path of f.paths(word)) {
        const reason = f.judge.governance(path, f.cwd);
        if (reason !== undefined) refuse(`${name} would change ${reason}`);
      }
    }
  }
  return out;
}

function destructiveReasons(f: CommandFacts): string[] {
  const out: string[] = [];
  const { name, judge } = f;
  const recursive = f.has(/^-[a-zA-Z]*[rR]|^--recursive$/);
  if (name === 'rm' && recursive) {
    for (const word of f.positional()) {
      for (const path of f.paths(word)) {
        for (const abs of judge.resolve(path, f.cwd)) {
          if (abs === '/' || abs === judge.home || abs === judge.root || !judge.insideProject(abs)) out.push(`rm -r of ${abs}`);
        }
      }
      if (word.dynamic && word.globs.some((g) => g === '*' || g === '/*')) out.push('rm -r of a path only known at run time');
    }
  }
  if (name === 'mv') {
    for (const word of f.positional().slice(0, -1)) for (const path of f.paths(word)) for (const abs of judge.resolve(path, f.cwd)) if (abs === '/' || abs === judge.home || abs === judge.root) out.push(`mv of ${abs}`);
  }
  if ((name === 'chmod' || name === 'chown') && recursive) {
    for (const word of f.positional().slice(1)) for (const path of f.paths(word)) for (const abs of judge.resolve(path, f.cwd)) if (!judge.insideProject(abs) || abs === judge.root) out.push(`${name} -R of ${abs}`);
  }
  if (name === 'git') out.push(...gitDestructive(f));
  if (name === 'dd' && f.has(/^of=\/dev\//)) out.push('dd writes a device');
  if (/^mkfs(?:\..*)?$|^(?:fdisk|parted|wipefs|sgdisk)$/.test(name)) out.push(`${name} formats or repartitions a disk`);
  if ((name === 'kill' || name === 'pkill' || name === 'killall') && f.has(/^-1$/) ) out.push('kill of every process (-1)');
  if (/^(?:shutdown|reboot|halt|poweroff)$/.test(name)) out.push(`${name} stops the machine`);
  if (DATABASE_CLIENTS.test(name)) {
    const sql = [...f.texts.filter((t): t is string => t !== undefined), f.command.stdinText ?? ''].join('\n');
    if (DESTRUCTIVE_SQL.test(sql)) out.push(`${name} drops or truncates data`);
  }
  if (name === 'docker' || name === 'podman') {
    const words = f.texts.join(' ');
    if (/\bsystem prune\b/.test(words) && /(?:^|\s)(?:-a|--all|--volumes|-[a-z]*a[a-z]*)\b/.test(words)) out.push(`${name} system prune removes every image and volume`);
    if (/\bvolume (?:prune|rm)\b/.test(words)) out.push(`${name} removes volumes`);
  }
  if (name === 'gh' && /^repo delete\b/.test(f.texts.join(' '))) out.push('gh repo delete');
  if (name === 'aws' && /^s3 (?:rm\b.*--recursive|rb\b.*--force)/.test(f.texts.join(' '))) out.push('aws s3 recursive delete');
  if (name === 'gsutil' && /\brm\b.*(?:^|\s)-[a-zA-Z]*r/.test(f.texts.join(' '))) out.push('gsutil recursive delete');
  if (name === 'terraform' && /^(?:destroy|apply -destroy)/.test(f.texts.join(' '))) out.push('terraform destroy');
  if (name === 'kubectl' && /^delete\b/.test(f.texts.join(' ')) && f.has(/^--all$|^namespace$|^ns$/)) out.push('kubectl delete of a namespace or everything');
  return out;
}

function gitDestructive(f: CommandFacts): string[] {
  const sub = gitSubcommand(f);
  const args = f.texts.slice(f.texts.indexOf(sub) + 1);
  const has = (re: RegExp): boolean => args.some((t) => t !== undefined && re.test(t));
  const out: string[] = [];
  if (sub === 'push') {
    if (has(/^--force(?:-with-lease)?(?:=.*)?$|^-[a-zA-Z]*f/) || args.some((t) => t !== undefined && /^\+/.test(t))) out.push('git push --force rewrites the remote');
    if (has(/^--delete$|^-[a-zA-Z]*d$/) || args.some((t) => t !== undefined && /^:[^/]/.test(t))) out.push('git push --delete removes a remote branch');
    if (has(/^--mirror$|^--prune$/)) out.push('git push --mirror/--prune can remove remote refs');
  }
  if (sub === 'branch' && has(/^-[a-zA-Z]*D|^--delete$/) && (has(/^-[a-zA-Z]*D/) || has(/^--force$|^-f$/))) out.push('git branch -D drops unmerged work');
  if (sub === 'reset' && has(/^--hard$|^--merge$|^--keep$/)) out.push('git reset --hard discards work');
  if (sub === 'clean' && has(/^-[a-zA-Z]*f|^--force$/)) out.push('git clean -f deletes untracked files');
  const unstageOnly = sub === 'restore' && has(/^(?:--staged|-S)$/) && !has(/^(?:--worktree|-W)$/);
  if ((sub === 'checkout' || sub === 'restore') && !unstageOnly && args.some((t) => t === '.' || t === ':/' || t === '*')) out.push(`git ${sub} of the whole tree discards work`);
  if (sub === 'stash' && (args[0] === 'clear' || args[0] === 'drop')) out.push(`git stash ${args[0]} discards stashed work`);
  if (sub === 'filter-branch' || sub === 'filter-repo') out.push(`git ${sub} rewrites history`);
  if (sub === 'update-ref' && has(/^-d$/)) out.push('git update-ref -d deletes a ref');
  return out;
}

function dedupe(refusals: readonly Refusal[]): Refusal[] {
  const seen = new Set<string>();
  return refusals.filter((r) => (seen.has(r.reason) ? false : (seen.add(r.reason), true)));
}

/** `curl -o x.sh URL && bash x.sh`: a file a download wrote, run in the same line. */
function downloadThenRun(script: ParsedScript): string[] {
  const downloaded = new Set<string>();
  const out: string[] = [];
  for (const command of script.commands) {
    const name = commandName(command.argv[0]) ?? '';
    const texts = command.argv.map(wordText);
    if (/^(?:curl|wget|fetch|aria2c)$/.test(name)) {
      texts.forEach((t, i) => {
        if (/^(?:-o|-O|--output|--output-document)$/.test(t ?? '') && texts[i + 1] !== undefined) downloaded.add(baseName(texts[i + 1]!));
        const joined = /^(?:--output|--output-document)=(.+)$|^-O(.+)$/.exec(t ?? '');
        if (joined) downloaded.add(baseName(joined[1] ?? joined[2]!));
      });
      for (const r of command.redirects) if (r.op === '>' || r.op === '>>') for (const v of r.target.values) downloaded.add(baseName(v));
      continue;
    }
    if (downloaded.size === 0) continue;
    const runs = /^(?:sh|bash|zsh|dash|source|\.|python\d*|node|perl|ruby|php)$/.test(name) ? texts.slice(1) : [texts[0]];
    if (runs.some((t) => t !== undefined && downloaded.has(baseName(t)))) out.push(`${name} runs a file downloaded in the same command`);
  }
  return out;
}

const baseName = (path: string): string => path.slice(path.lastIndexOf('/') + 1);

/** `printenv | curl -d @- …`, `curl -d "$(env)" …`: the environment (and every token in it) leaves the machine. */
function environmentSent(script: ParsedScript): Refusal[] {
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
function computedNames(script: ParsedScript, judge: PathJudge): Refusal[] {
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
