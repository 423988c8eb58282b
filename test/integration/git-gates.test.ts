/**
 * The git gates end to end: real repositories, real `git commit` and `git push`, the hook scripts
 * the installer writes, and the built CLI they run (dist/cli/index.js).
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { installGitGates, uninstallGitGates } from '../../src/git-gates/install.js';
import { inspectGitGates } from '../../src/git-gates/inspect.js';
import { readAudit } from '../helpers/audit-log.js';
import { gitRepo, type GitRepo } from '../helpers/git-repo.js';
import { CLI, REPO_ROOT } from '../helpers/temp-repo.js';

// Built at run time so no literal key sits in this file (this repository's own gate scans it).
const AWS_ACCESS_KEY_ID = ['AKIA', 'ZQ7XJ2M4B6N8P3R5'].join('');
const AWS_SECRET = ['wJalrXUtnFEMI', 'K7MDENG', 'bPxRfiCYzq8Hf3kL2m'].join('/');
const SLACK_TOKEN = ['xoxb', '2417', '93520814', 'kQf8Zr2LpW9sYt4nVx7cHa1M'].join('-');
const LAUNCHER = { node: process.execPath, cli: CLI };

let repos: GitRepo[] = [];
afterEach(() => {
  for (const r of repos) r.cleanup();
  repos = [];
});

function repoWithGates(setup: (repo: GitRepo) => void = () => {}): GitRepo {
  const repo = gitRepo();
  repos.push(repo);
  setup(repo);
  const report = installGitGates(repo.root, LAUNCHER);
  expect(report.problem).toBeUndefined();
  return repo;
}

function commit(repo: GitRepo, files: Record<string, string>, message = 'change', ...extra: string[]) {
  for (const [path, content] of Object.entries(files)) repo.write(path, content);
  const add = repo.git('add', '-f', ...Object.keys(files));
  expect(add.status, add.stderr).toBe(0);
  return repo.git('commit', '-q', '-m', message, ...extra);
}

function rea(repo: GitRepo, ...args: string[]) {
  return spawnSync(process.execPath, [CLI, ...args], { cwd: repo.root, env: repo.env, encoding: 'utf8' });
}

describe('pre-commit gate', () => {
  it('refuses an AWS key pair, a Slack token and a forced .env, naming file:line and kind but never the value, and records each refusal', () => {
    const repo = repoWithGates((r) => r.write('.rea/policy.yaml', 'version: "1"\nblocked_paths: [".env"]\n'));
    repo.write('.gitignore', '.env\n.rea/\n');

    const aws = commit(repo, { 'src/config.js': `// settings\nexport const id = "${AWS_ACCESS_KEY_ID}";\nexport const creds = { aws_secret_access_key: "${AWS_SECRET}" };\n` });
    expect(aws.status).not.toBe(0);
    expect(aws.stderr).toContain('rea pre-commit gate: commit refused.');
    expect(aws.stderr).toContain('src/config.js:2  aws_access_key');
    expect(aws.stderr).toContain('src/config.js:3  aws_secret_key');
    expect(aws.stderr).toContain('Next: remove each one from the file');
    repo.git('rm', '-q', '--cached', 'src/config.js');

    const slack = commit(repo, { 'notify.py': `TOKEN = "${SLACK_TOKEN}"\n` });
    expect(slack.status).not.toBe(0);
    expect(slack.stderr).toContain('notify.py:1  slack_token');
    repo.git('rm', '-q', '--cached', 'notify.py');

    const env = commit(repo, { '.env': 'DEBUG=1\n' });
    expect(env.status).not.toBe(0);
    expect(env.stderr).toContain('.env  blocked path (policy blocked_paths: .env)');
    expect(env.stderr).toContain('git restore --staged');

    for (const out of [aws.stderr, slack.stderr, env.stderr]) {
      for (const secret of [AWS_ACCESS_KEY_ID, AWS_SECRET, SLACK_TOKEN]) expect(out).not.toContain(secret);
    }
    expect(repo.git('rev-parse', '--verify', '-q', 'HEAD').status).not.toBe(0);

    const records = readAudit(repo.root);
    expect(records.map((r) => [r.server_name, r.tool_name, r.status, r['deny_code'], r.tier])).toEqual([
      ['git', 'pre-commit', 'denied', 'secret', 'write'],
      ['git', 'pre-commit', 'denied', 'secret', 'write'],
      ['git', 'pre-commit', 'denied', 'blocked_path', 'write'],
    ]);
    expect(records[0]!.metadata?.['findings']).toEqual([
      { where: 'src/config.js:2', kind: 'aws_access_key' },
      { where: 'src/config.js:3', kind: 'aws_secret_key' },
    ]);
    const log = readFileSync(join(repo.root, '.rea', 'audit.jsonl'), 'utf8');
    for (const secret of [AWS_ACCESS_KEY_ID, AWS_SECRET, SLACK_TOKEN]) expect(log).not.toContain(secret);
    const verify = rea(repo, 'audit', 'verify');
    expect(verify.status, verify.stderr).toBe(0);
  });

  it('lets an ordinary commit through and still runs the project’s own pre-commit hook, whose failure fails the commit', () => {
    const repo = repoWithGates((r) => r.write('.git/hooks/pre-commit', '#!/bin/sh\necho ran >> "$(git rev-parse --show-toplevel)/hook-ran.txt"\nexit "${FAIL_HOOK:-0}"\n', 0o755));
    repo.write('.gitignore', 'hook-ran.txt\n.rea/\n');
    const ok = commit(repo, { 'README.md': '# app\nSet API_KEY=<your-key> and SLACK_TOKEN=${SLACK_TOKEN} in .env.\n', '.gitignore': 'hook-ran.txt\n.rea/\n' });
    expect(ok.stderr).toBe('');
    expect(ok.status).toBe(0);
    expect(readFileSync(join(repo.root, 'hook-ran.txt'), 'utf8')).toBe('ran\n');

    repo.env['FAIL_HOOK'] = '7';
    const failed = commit(repo, { 'README.md': '# app v2\n' });
    expect(failed.status).not.toBe(0);
    expect(readFileSync(join(repo.root, 'hook-ran.txt'), 'utf8')).toBe('ran\nran\n');
    expect(repo.git('rev-list', '--count', 'HEAD').stdout.trim()).toBe('1');
    expect(readAudit(repo.root)).toEqual([]);
  });

  it('chains a husky setup (core.hooksPath .husky/_): the project’s .husky/pre-commit still runs after the gate', () => {
    const repo = repoWithGates((r) => {
      const husky = spawnSync(process.execPath, [join(REPO_ROOT, 'node_modules', 'husky', 'bin.js')], { cwd: r.root, env: r.env, encoding: 'utf8' });
      expect(husky.status, husky.stderr).toBe(0);
      r.write('.husky/pre-commit', 'echo husky-ran > husky-ran.txt\n');
    });
    expect(inspectGitGates(repo.root).hooksDir).toBe(join(repo.root, '.husky', '_'));
    expect(existsSync(join(repo.root, '.husky', '_', 'pre-commit.rea-chained'))).toBe(true);

    const ok = commit(repo, { 'a.txt': 'a\n' });
    expect(ok.status, ok.stderr).toBe(0);
    expect(readFileSync(join(repo.root, 'husky-ran.txt'), 'utf8')).toBe('husky-ran\n');

    const refused = commit(repo, { 'b.txt': `${SLACK_TOKEN}\n` });
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toContain('b.txt:1  slack_token');
  });

  it('refuses under HALT, and fails closed with a clear message when the rea CLI it names is gone', () => {
    const repo = repoWithGates();
    repo.write('.rea/HALT', 'incident 42: agent misbehaving\n');
    const halted = commit(repo, { 'a.txt': 'a\n' });
    expect(halted.status).not.toBe(0);
    expect(halted.stderr).toContain('.rea/HALT  incident 42: agent misbehaving');
    expect(readAudit(repo.root).map((r) => r['deny_code'])).toEqual(['halt']);

    installGitGates(repo.root, { node: process.execPath, cli: join(repo.root, 'gone', 'index.js') });
    const orphaned = repo.git('commit', '-q', '-m', 'x');
    expect(orphaned.status).not.toBe(0);
    expect(orphaned.stderr).toContain(`the pre-commit gate cannot run: ${join(repo.root, 'gone', 'index.js')} is missing`);
    expect(inspectGitGates(repo.root).gates[0]!.problems[0]).toContain('which does not exist');
  });
});

describe('commit-msg gate', () => {
  const CLAUDE = 'Add the parser\n\n🤖 Generated with [Claude Code](https://claude.com/claude-code)\n\nCo-Authored-By: Claude <noreply@anthropic.com>\n';

  it('refuses AI attribution only when policy block_ai_attribution is on, and lets human co-authors through', () => {
    const repo = repoWithGates((r) => r.write('.rea/policy.yaml', 'version: "1"\nblock_ai_attribution: false\n'));
    // Only the message is under test: without the pre-commit hook each commit starts one gate, not two.
    rmSync(join(repo.root, '.git', 'hooks', 'pre-commit'));
    repo.write('.gitignore', '.rea/\n');
    expect(commit(repo, { 'a.txt': '1\n', '.gitignore': '.rea/\n' }, CLAUDE).status).toBe(0);

    repo.write('.rea/policy.yaml', 'version: "1"\nblock_ai_attribution: true\n');
    const refused = commit(repo, { 'a.txt': '2\n' }, CLAUDE);
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toContain('commit message line 3  "generated with" footer naming an AI tool (Claude)');
    expect(refused.stderr).toContain('commit message line 5  Co-Authored-By trailer naming an AI tool (Claude)');

    const human = commit(repo, { 'a.txt': '3\n' }, 'Pair on the parser\n\nCo-authored-by: Claude Monet <claude@monet.example>\nCo-authored-by: Jane Doe <jane@example.com>\n');
    expect(human.status, human.stderr).toBe(0);
    expect(readAudit(repo.root).map((r) => [r.tool_name, r['deny_code']])).toEqual([['commit-msg', 'ai_attribution']]);
  });
});

describe('pre-push gate', () => {
  it('refuses a push under HALT, lets it through once HALT is lifted, and hands the user’s pre-push hook its arguments and stdin', () => {
    // The commit is made before the gates go in: only the push is under test here.
    const repo = repoWithGates((r) => {
      expect(commit(r, { 'a.txt': 'a\n' }).status).toBe(0);
      r.write('.git/hooks/pre-push', '#!/bin/sh\n{ echo "args: $*"; cat; } > "$(git rev-parse --git-dir)/pre-push-saw.txt"\n', 0o755);
    });
    const remote = gitRepo({ bare: true });
    repos.push(remote);
    repo.git('remote', 'add', 'origin', remote.root);

    repo.write('.rea/HALT', 'freeze for review\n');
    const halted = repo.git('push', '-q', 'origin', 'main');
    expect(halted.status).not.toBe(0);
    expect(halted.stderr).toContain('rea pre-push gate: push refused.');
    expect(remote.git('rev-parse', '--verify', '-q', 'refs/heads/main').status).not.toBe(0);

    rmSync(join(repo.root, '.rea', 'HALT'));
    const pushed = repo.git('push', '-q', 'origin', 'main');
    expect(pushed.status, pushed.stderr).toBe(0);
    const head = repo.git('rev-parse', 'HEAD').stdout.trim();
    expect(remote.git('rev-parse', 'refs/heads/main').stdout.trim()).toBe(head);
    expect(readFileSync(join(repo.root, '.git', 'pre-push-saw.txt'), 'utf8')).toBe(
      `args: origin ${remote.root}\nrefs/heads/main ${head} refs/heads/main ${'0'.repeat(40)}\n`,
    );
    expect(readAudit(repo.root).filter((r) => r.server_name === 'git').map((r) => [r.tool_name, r['deny_code']])).toEqual([['pre-push', 'halt']]);
  });
});

describe('installer', () => {
  it('chains existing hooks, changes no byte on a second install, and uninstall restores the originals with their modes', () => {
    const repo = gitRepo();
    repos.push(repo);
    const hooks = join(repo.root, '.git', 'hooks');
    const own = repo.write('.git/hooks/pre-commit', '#!/bin/sh\necho mine\n', 0o750);
    chmodSync(own, 0o750);
    const unexecutable = repo.write('.git/hooks/commit-msg', '#!/bin/sh\nexit 1\n', 0o644);
    chmodSync(unexecutable, 0o644);
    repo.write('scripts/push-hook', '#!/bin/sh\nexit 0\n', 0o755);
    symlinkSync('../../scripts/push-hook', join(hooks, 'pre-push'));
    const before = snapshot(hooks);

    const first = installGitGates(repo.root, LAUNCHER);
    expect(first.gates.map((g) => g.action)).toEqual(['chained', 'chained', 'chained']);
    const installed = snapshot(hooks);
    const second = installGitGates(repo.root, LAUNCHER);
    expect(second.gates.map((g) => g.action)).toEqual(['unchanged', 'unchanged', 'unchanged']);
    expect(snapshot(hooks)).toEqual(installed);
    expect(inspectGitGates(repo.root).ok).toBe(true);

    const removed = uninstallGitGates(repo.root);
    expect(removed.gates.map((g) => g.action)).toEqual(['restored', 'restored', 'restored']);
    expect(snapshot(hooks)).toEqual(before);
    expect(uninstallGitGates(repo.root).gates.map((g) => g.action)).toEqual(['not-installed', 'not-installed', 'not-installed']);
  });

  it('leaves a hook the repository tracks alone (a shared hooks directory) and says how to add the gate', () => {
    const repo = gitRepo();
    repos.push(repo);
    const shared = repo.write('.githooks/pre-commit', '#!/bin/sh\nnpm test\n', 0o755);
    expect(repo.git('add', '.githooks/pre-commit').status).toBe(0);
    repo.git('config', 'core.hooksPath', '.githooks');
    const before = readFileSync(shared);
    const report = installGitGates(repo.root, LAUNCHER);
    expect(report.gates.map((g) => g.action)).toEqual(['conflict', 'installed', 'installed']);
    expect(report.gates[0]!.detail).toContain('is tracked by git');
    expect(readFileSync(shared)).toEqual(before);
    expect(existsSync(`${shared}.rea-chained`)).toBe(false);
  });

  it('refuses to install into a core.hooksPath every repository shares (global config)', () => {
    const global = gitRepo();
    repos.push(global);
    const config = global.write('gitconfig', `[core]\n\thooksPath = ${join(global.root, 'shared-hooks')}\n`);
    const repo = gitRepo({ globalConfig: config });
    repos.push(repo);
    const saved = process.env['GIT_CONFIG_GLOBAL'];
    process.env['GIT_CONFIG_GLOBAL'] = config;
    try {
      const report = installGitGates(repo.root, LAUNCHER);
      expect(report.gates).toEqual([]);
      expect(report.problem).toContain('core.hooksPath is set in your global git config');
      expect(inspectGitGates(repo.root).problem).toBe(report.problem);
    } finally {
      if (saved === undefined) delete process.env['GIT_CONFIG_GLOBAL'];
      else process.env['GIT_CONFIG_GLOBAL'] = saved;
    }
    expect(existsSync(join(global.root, 'shared-hooks'))).toBe(false);
  });
});

/** Every entry of a hooks directory: name, mode, and bytes or link target. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    const stats = lstatSync(path);
    out[name] = `${(stats.mode & 0o7777).toString(8)} ${stats.isSymbolicLink() ? `-> ${readlinkSync(path)}` : readFileSync(path, 'base64')}`;
  }
  return out;
}
