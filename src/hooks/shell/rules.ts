import type { Tier } from '../../policy/levels.js';
import type { PathJudge } from '../path-judge.js';
import { AWK, CHANGES_ARGUMENTS, DATABASE_CLIENTS, INTERPRETERS, NAME_ONLY, READ_ONLY } from './command-kinds.js';
import { destructiveReasons, downloadThenRun, DESTRUCTIVE_SQL } from './destructive.js';
import { computedNames, environmentSent, listedThenRead } from './line-rules.js';
import type { ParsedScript, Word } from './model.js';
import { CommandFacts, gitSubcommand, type Refusal, type ShellVerdict } from './command-facts.js';
import { commandName } from './unwrap.js';
import { inlineCode } from './collector.js';
import { SCAN_EXEMPT_ATTRIBUTE } from '../../git-gates/scan-exemptions.js';
import { governanceTrees } from './governance-trees.js';

/** rea's commands that lift or loosen governance: a human's to run (an agent may freeze, never unfreeze). */
const REA_HUMAN_COMMANDS = /^(?:unfreeze|promote|init|tofu accept|gate (?:install|uninstall)|audit (?:rotate|keygen))$/;

/** rea's global `--dir X` / `--dir=X` before the command. */
function withoutDirOption(texts: readonly (string | undefined)[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < texts.length; i += 1) {
    const t = texts[i] ?? '';
    if (t === '--dir') i += 1;
    else if (!t.startsWith('--dir=')) out.push(t);
  }
  return out;
}
const WRITE_REDIRECTS = new Set(['>', '>>', '>|', '&>', '&>>', '<>']);
const WRITE_ONLY_REDIRECTS = new Set(['>', '>>', '>|', '&>', '&>>']);
/** Commands whose last operand (or `-t DIR`) only receives what they copy. */
const COPIES_TO_LAST = /^(?:cp|install|rsync|scp)$/;
/** Commands that copy, pack or send whole directories: one holding a blocked file sends it too. */
const SENDS_DIRECTORIES = /^(?:tar|zip|7z|rar|rsync|scp|cp|rclone|gsutil|aws|az|s3cmd|curl|croc|magic-wormhole|nc|ncat|socat)$/;
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
  refusals.push(...environmentSent(script), ...computedNames(script, judge), ...listedThenRead(script, judge));
  for (const name of script.assigned) if (/^GIT_CONFIG_(?:COUNT|KEY_\d+|VALUE_\d+|PARAMETERS|GLOBAL|SYSTEM)$/.test(name)) refusals.push({ code: 'governance', reason: `setting ${name} can change git's hooks path` });
  for (const name of script.assigned) if (/^GIT_(?:DIR|WORK_TREE|COMMON_DIR)$/.test(name)) refusals.push({ code: 'governance', reason: `setting ${name} points git at another repository, around the git gates` });
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

function judgeCommand(f: CommandFacts): { tier: Tier; refusals: Refusal[]; destructive: string[] } {
  const refusals: Refusal[] = [];
  const destructive: string[] = [];
  const { name, judge } = f;
  const readsContents = !NAME_ONLY.has(name) && !(name === 'git' && gitSubcommand(f) === 'commit');
  // Blocked paths: no command may read or send them, whatever it is. Being written to is not a
  // leak (`cp .env.example .env`, `echo KEY=1 >> .env`): a pure destination is left alone.
  if (readsContents) {
    const destinations = destinationsOf(f);
    for (const word of f.args) {
      if (destinations.has(word)) continue;
      for (const path of f.paths(word)) {
        const reason = judge.blocked(path, f.cwd);
        if (reason !== undefined) refusals.push({ code: 'blocked_path', reason: `${name} names ${reason}` });
      }
    }
    if (INTERPRETERS.test(name) || AWK.test(name)) refusals.push(...inlineCodePaths(f));
    if (SENDS_DIRECTORIES.test(name) && (name !== 'cp' || f.has(/^-[a-zA-Z]*[rRa]|^--recursive$|^--archive$/))) refusals.push(...directoriesHolding(f));
  }
  for (const redirect of f.command.redirects) {
    for (const path of f.paths(redirect.target)) {
      if (redirect.op === '<<' || redirect.op === '<<-' || redirect.op === '<<<' || path === '&' || /^\d+$|^-$/.test(path)) continue;
      const blocked = WRITE_ONLY_REDIRECTS.has(redirect.op) ? undefined : judge.blocked(path, f.cwd);
      if (blocked !== undefined) refusals.push({ code: 'blocked_path', reason: `a redirection names ${blocked}` });
      if (WRITE_REDIRECTS.has(redirect.op) || redirect.op === '>&') {
        const governance = judge.governance(path, f.cwd);
        if (governance !== undefined) refusals.push({ code: 'governance', reason: `a redirection writes ${governance}` });
        if (DEVICE.test(path)) destructive.push(`a redirection writes the device ${path}`);
      }
    }
  }
  refusals.push(...governanceTampering(f), ...governanceTrees(f));
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

/** The words a command only writes to: `tee`'s files, the target of `cp`/`install`/`rsync`/`scp`. */
function destinationsOf(f: CommandFacts): Set<Word> {
  if (f.name === 'tee') return new Set(f.positional());
  if (!COPIES_TO_LAST.test(f.name)) return new Set();
  const t = f.texts.findIndex((text) => text === '-t' || text === '--target-directory');
  const target = t !== -1 ? f.args[t + 1] : f.positional().at(-1);
  return new Set(target === undefined || f.positional().length < 2 && t === -1 ? [] : [target]);
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
    // Another repository or work tree has other hooks: the project's files committed around its gates.
    if (f.has(/^--(?:git-dir|work-tree)(?:=|$)/)) refuse('git may not be pointed at another repository or work tree (--git-dir, --work-tree)');
    // `.rea/HALT` and the audit log are untracked: a forced clean or an untracked stash removes them.
    if (sub === 'clean' && f.has(/^-[a-zA-Z]*f|^--force$/) && !f.has(/^-[a-zA-Z]*n|^--dry-run$/) && !excludesRea(f)) refuse('git clean would delete rea\'s untracked files (.rea/HALT, the audit log); add --exclude=.rea');
    if (sub === 'stash' && f.has(/^-[a-zA-Z]*[ua]|^--include-untracked$|^--all$/)) refuse('git stash of untracked files would take away rea\'s (.rea/HALT, the audit log)');
  }
  // rea itself, by name or as `node …/dist/cli/index.js` (a clone anywhere, wherever init ran from).
  if (name === 'rea' || (name === 'node' && f.texts[0] !== undefined && /(?:^|\/)(?:rea|dist\/cli\/index\.js)$/.test(f.texts[0]))) {
    const words = withoutDirOption(name === 'rea' ? f.texts : f.texts.slice(1));
    if (REA_HUMAN_COMMANDS.test(words[0] ?? '') || REA_HUMAN_COMMANDS.test(words.slice(0, 2).join(' '))) refuse(`\`rea ${words.join(' ')}\` is for a human to run`);
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

/** `git clean --exclude=.rea` keeps rea's files (`-e .rea` names `.rea` as a word the rules judge). */
function excludesRea(f: CommandFacts): boolean {
  return f.has(/^--exclude=\/?\.rea\/?$/);
}

function dedupe(refusals: readonly Refusal[]): Refusal[] {
  const seen = new Set<string>();
  return refusals.filter((r) => (seen.has(r.reason) ? false : (seen.add(r.reason), true)));
}
