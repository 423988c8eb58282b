import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** Every file rea owns inside a project's `.rea/` directory. */
export interface ReaPaths {
  readonly root: string;
  readonly dir: string;
  readonly policy: string;
  readonly registry: string;
  readonly halt: string;
  readonly audit: string;
  readonly fingerprints: string;
  readonly pid: string;
  readonly state: string;
}

export function reaPaths(root: string): ReaPaths {
  const dir = join(root, '.rea');
  return {
    root,
    dir,
    policy: join(dir, 'policy.yaml'),
    registry: join(dir, 'registry.yaml'),
    halt: join(dir, 'HALT'),
    audit: join(dir, 'audit.jsonl'),
    fingerprints: join(dir, 'fingerprints.json'),
    pid: join(dir, 'serve.pid'),
    state: join(dir, 'serve.state.json'),
  };
}

/**
 * The project root, in order of precedence: an explicit `--dir`, `REA_DIR`, `CLAUDE_PROJECT_DIR`
 * (Claude Code sets it for the servers it launches), then the nearest ancestor of the working
 * directory that holds `.rea/`, else the working directory itself.
 */
export function findProjectRoot(explicitDir?: string, env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string {
  const chosen = explicitDir ?? env['REA_DIR'] ?? env['CLAUDE_PROJECT_DIR'];
  if (chosen) return resolve(cwd, chosen);
  let dir = resolve(cwd);
  for (;;) {
    if (existsSync(join(dir, '.rea'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return resolve(cwd);
    dir = parent;
  }
}
