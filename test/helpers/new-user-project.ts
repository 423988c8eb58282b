import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { gitRepo, type GitRepo } from './git-repo.js';
import { CLI, REPO_ROOT } from './temp-repo.js';

/**
 * A project as a new user has it before `rea init`: git, an `.mcp.json` of stdio servers (one
 * with `env`) and one with a URL, their own `.claude/settings.json` (permissions and a hook), their
 * own `.git/hooks/pre-commit`, and a `.env` with a secret.
 */
export const SECRET_VALUE = 'sk_live_51HqTestValueThatMustNeverBeLogged00';

export function newUserProject(): GitRepo {
  const repo = gitRepo();
  const node = process.execPath;
  repo.write(
    '.mcp.json',
    `${JSON.stringify(
      {
        mcpServers: {
          memory: { command: node, args: [join(REPO_ROOT, 'node_modules/@modelcontextprotocol/server-memory/dist/index.js')] },
          everything: { command: node, args: [join(REPO_ROOT, 'node_modules/@modelcontextprotocol/server-everything/dist/index.js'), 'stdio'], env: { EVERYTHING_MODE: 'test' } },
          remote: { type: 'http', url: 'https://mcp.example.com/mcp' },
        },
      },
      null,
      2,
    )}\n`,
  );
  repo.write('.claude/settings.json', `${JSON.stringify({ permissions: { allow: ['Bash(npm test)'], deny: ['WebSearch'] }, hooks: { PreToolUse: [{ matcher: 'Bash', hooks: [{ type: 'command', command: 'echo user-hook-ran >&2' }] }] }, model: 'opus' }, null, 2)}\n`);
  repo.write('.git/hooks/pre-commit', '#!/bin/sh\necho "user pre-commit ran" >&2\n', 0o755);
  repo.write('.env', `STRIPE_KEY=${SECRET_VALUE}\n`);
  repo.write('.env.example', 'STRIPE_KEY=<your-key>\n');
  repo.write('src/index.ts', 'export const answer = 42;\n');
  repo.write('.gitignore', '.env\n');
  return repo;
}

/** `rea init` (or another rea command) run with no `rea` on PATH: only node's own directory and the system's. */
export function reaWithoutPath(repo: GitRepo, ...args: string[]) {
  return spawnSync(process.execPath, [CLI, ...args], {
    cwd: repo.root,
    env: { ...repo.env, PATH: `${dirname(process.execPath)}:/usr/bin:/bin`, CLAUDE_PROJECT_DIR: '' },
    encoding: 'utf8',
    timeout: 120_000,
  });
}
