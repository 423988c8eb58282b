import { DATABASE_CLIENTS, INTERPRETERS } from './command-kinds.js';
import { inlineCode } from './collector.js';
import { wordText, type ParsedScript } from './model.js';
import { gitSubcommand, type CommandFacts } from './command-facts.js';
import { commandName } from './unwrap.js';

/** What makes a command destructive (THREAT_MODEL.md T21): at L1 it is denied, at L2 the human is asked. */

/** Library calls that delete a directory tree, with their path literal. */
const TREE_REMOVAL = /(?:rmtree|rmSync|rm_rf|rm_r|rimraf(?:\.sync)?|removedirs|remove_tree|rmdirSync|deleteSync|remove_dir_all)\s*\(\s*['"`]([^'"`]+)['"`]/g;

export const DESTRUCTIVE_SQL = /\bdrop\s+(?:table|database|schema|collection|keyspace|user|role)\b|\btruncate\s+(?:table\s+)?\w|\bflushall\b|\bflushdb\b|dropDatabase\s*\(|\bdelete\s+from\s+\w+\s*;?\s*(?:$|["'])/i;

export function destructiveReasons(f: CommandFacts): string[] {
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
  if (INTERPRETERS.test(name)) {
    // `python3 -c "shutil.rmtree('/')"`, `node -e "fs.rmSync(os.homedir(), …)"`: a tree removed from code.
    for (const code of inlineCode(f.command)) {
      for (const match of code.matchAll(TREE_REMOVAL)) {
        for (const abs of judge.resolve(match[1]!, f.cwd)) if (abs === '/' || abs === judge.home || abs === judge.root || !judge.insideProject(abs)) out.push(`${name} code removes the tree ${abs}`);
      }
    }
  }
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

export /** `curl -o x.sh URL && bash x.sh`: a file a download wrote, run in the same line. */
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
