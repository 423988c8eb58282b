/** The pre-commit decision against real git indexes, in process (the hook path is in test/integration). */
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, PolicySchema } from '../../../src/config/policy-schema.js';
import { PRE_COMMIT_LIMITS, preCommitRefusals } from '../../../src/git-gates/pre-commit.js';
import { gitRepos, type GitRepo } from '../../helpers/git-repo.js';

const SLACK = ['xoxb', '2417', '93520814', 'kQf8Zr2LpW9sYt4nVx7cHa1M'].join('-');
const BLOCKING = PolicySchema.parse({ version: '1', blocked_paths: ['.env', 'secrets/', '*.pem'] });

const repo = gitRepos();

function stage(r: GitRepo, files: Record<string, string | Buffer>): void {
  for (const [path, content] of Object.entries(files)) r.write(path, content);
  const add = r.git('add', '-f', ...Object.keys(files));
  expect(add.status, add.stderr).toBe(0);
}

function commitAll(r: GitRepo): void {
  const done = r.git('commit', '-q', '--no-verify', '-m', 'setup');
  expect(done.status, done.stderr).toBe(0);
}

const refusals = (r: GitRepo, policy = DEFAULT_POLICY) => preCommitRefusals(r.root, r.root, policy, 'policy.yaml');

describe('pre-commit refusals', () => {
  it('reads the index, not the work tree: a secret removed after `git add` is still refused', () => {
    const r = repo();
    stage(r, { 'app.js': `const t = "${SLACK}";\n` });
    r.write('app.js', 'const t = process.env.SLACK_TOKEN;\n');
    expect(refusals(r).map((x) => [x.code, x.findings])).toEqual([['secret', [{ where: 'app.js:1', kind: 'slack_token' }]]]);
  });

  it('refuses files on blocked paths, forced past .gitignore, at any depth, but not their deletion', () => {
    const r = repo();
    r.write('.gitignore', '.env\n*.pem\n');
    stage(r, { '.env': 'DEBUG=1\n', 'deploy/.env': 'X=1\n', 'secrets/db.txt': 'none\n', 'certs/server.pem': 'not really\n', 'src/ok.ts': 'export {};\n' });
    const found = refusals(r, BLOCKING);
    expect(found.map((x) => x.code)).toEqual(['blocked_path']);
    expect(found[0]!.findings.map((f) => f.where)).toEqual(['.env', 'certs/server.pem', 'deploy/.env', 'secrets/db.txt']);

    commitAll(r);
    r.git('rm', '-q', '--cached', '.env', 'deploy/.env', 'secrets/db.txt', 'certs/server.pem');
    expect(refusals(r, BLOCKING)).toEqual([]);
  });

  it('lets a team commit its .rea/policy.yaml although rea always blocks .rea/ for the agent', () => {
    const r = repo();
    stage(r, { '.rea/policy.yaml': 'version: "1"\n', '.rea/registry.yaml': 'version: "1"\nservers: []\n' });
    expect(refusals(r, BLOCKING)).toEqual([]);
  });

  it('skips binary files and secrets already committed (also when the file is renamed), and scans the first commit of a repository', () => {
    const r = repo();
    stage(r, { 'logo.png': Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0]), Buffer.from(SLACK)]), 'legacy.cfg': `token=${SLACK}\n` });
    expect(refusals(r).flatMap((x) => x.findings)).toEqual([{ where: 'legacy.cfg:1', kind: 'slack_token' }]);
    commitAll(r);
    stage(r, { 'legacy.cfg': `# comment\ntoken=${SLACK}\n` });
    expect(refusals(r)).toEqual([]);
    commitAll(r);
    expect(r.git('mv', 'legacy.cfg', 'moved.cfg').status).toBe(0);
    expect(refusals(r)).toEqual([]);
  });

  it('honours a `-rea-secret-scan` exemption committed before, not one that arrives with the secret', () => {
    const r = repo();
    stage(r, { '.gitattributes': 'fixtures/** -rea-secret-scan\n', 'fixtures/tokens.txt': `${SLACK}\n` });
    const same = refusals(r);
    expect(same.map((x) => x.code)).toEqual(['secret']);
    expect(same[0]!.next).toContain('exemptions are not honoured');

    r.git('rm', '-q', '--cached', 'fixtures/tokens.txt');
    commitAll(r);
    stage(r, { 'fixtures/tokens.txt': `${SLACK}\n`, 'src/leak.txt': `${SLACK}\n` });
    expect(refusals(r).flatMap((x) => x.findings)).toEqual([{ where: 'src/leak.txt:1', kind: 'slack_token' }]);
  });

  it('refuses, unscanned, a file too large to scan or a scan that runs out of time, unless the path is exempted', () => {
    const r = repo();
    stage(r, { '.gitattributes': 'vendor/** -rea-secret-scan\n' });
    commitAll(r);
    stage(r, { 'big.txt': 'x'.repeat(2048), 'vendor/big.txt': 'x'.repeat(2048), 'small.txt': 'ok\n' });
    const tooLarge = preCommitRefusals(r.root, r.root, DEFAULT_POLICY, 'policy.yaml', { ...PRE_COMMIT_LIMITS, maxScannedBytes: 1024 });
    expect(tooLarge.map((x) => [x.code, x.findings])).toEqual([['scan_incomplete', [{ where: 'big.txt', kind: '0.002 MiB, larger than the 0.001 MiB the gate scans' }]]]);

    // An operator pattern safe-regex accepts that still backtracks exponentially (THREAT_MODEL.md T18).
    const slow = PolicySchema.parse({ version: '1', redact: { patterns: [{ name: 'slow', regex: '(a|a)*b' }] } });
    stage(r, { 'big.txt': 'a'.repeat(40) });
    r.git('rm', '-q', '--cached', 'small.txt', 'vendor/big.txt');
    const timedOut = preCommitRefusals(r.root, r.root, slow, 'policy.yaml', { ...PRE_COMMIT_LIMITS, scanBudgetMs: 300 });
    expect(timedOut.map((x) => [x.code, x.findings])).toEqual([['scan_incomplete', [{ where: 'big.txt', kind: 'scan did not finish in time (pattern slow)' }]]]);
  });
});
