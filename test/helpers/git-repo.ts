import { spawnSync } from 'node:child_process';
import { afterEach } from 'vitest';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export interface GitResult {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface GitRepo {
  readonly root: string;
  /** The environment every git command here runs with (no user or system config, no outer GIT_*). */
  readonly env: NodeJS.ProcessEnv;
  git(...args: string[]): GitResult;
  write(relative: string, content: string | Buffer, mode?: number): string;
  cleanup(): void;
}

/**
 * A fresh repository in a temp dir, isolated from the machine's git config and from any GIT_*
 * variables of an outer git (tests run from a hook would otherwise act on the outer repository).
 */
export function gitRepo(options: { globalConfig?: string; bare?: boolean } = {}): GitRepo {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'rea-git-')));
  const env: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('GIT_') && key !== 'HUSKY'));
  Object.assign(env, {
    GIT_CONFIG_GLOBAL: options.globalConfig ?? '/dev/null',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_AUTHOR_NAME: 'Test Person',
    GIT_AUTHOR_EMAIL: 'person@example.com',
    GIT_COMMITTER_NAME: 'Test Person',
    GIT_COMMITTER_EMAIL: 'person@example.com',
    XDG_CONFIG_HOME: join(root, '.no-config'),
  });
  const repo: GitRepo = {
    root,
    env,
    git(...args) {
      const run = spawnSync('git', args, { cwd: root, env, encoding: 'utf8' });
      return { status: run.status ?? 1, stdout: run.stdout, stderr: run.stderr };
    },
    write(relative, content, mode) {
      const file = join(root, relative);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, content, mode === undefined ? {} : { mode });
      return file;
    },
    cleanup() {
      rmSync(root, { recursive: true, force: true });
    },
  };
  const init = repo.git('init', '-q', '-b', 'main', ...(options.bare ? ['--bare'] : []), '.');
  if (init.status !== 0) throw new Error(`git init failed: ${init.stderr}`);
  return repo;
}

/** A maker of fresh repositories for a test file; each is removed after the test that made it. */
export function gitRepos(): () => GitRepo {
  const made: GitRepo[] = [];
  afterEach(() => {
    for (const r of made.splice(0)) r.cleanup();
  });
  return () => {
    const r = gitRepo();
    made.push(r);
    return r;
  };
}
