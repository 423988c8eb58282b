/**
 * Where git runs hooks for a project: `core.hooksPath` when the repository sets it (husky sets
 * `.husky/_`), else the common `.git/hooks` (shared by every worktree). A hooksPath from the global
 * or system config is refused: installing there would put rea's gates in every repository.
 */
import { resolve } from 'node:path';
import { errorMessage } from '../errors.js';
import { gitLine, runGit } from './git-command.js';

export type HooksDir = { readonly kind: 'found'; readonly dir: string; readonly top: string } | { readonly kind: 'unusable'; readonly problem: string };

const PROJECT_SCOPES = new Set(['local', 'worktree', 'command']);

export function findHooksDir(root: string): HooksDir {
  let top: string;
  try {
    top = gitLine(root, ['rev-parse', '--show-toplevel']);
  } catch (error) {
    return { kind: 'unusable', problem: `${root} is not inside a git work tree (${errorMessage(error)}); run \`git init\` first` };
  }
  const scoped = runGit(top, ['config', '--show-scope', '--get', 'core.hooksPath']);
  if (scoped.status === 0) {
    const [scope = '', value = ''] = scoped.stdout.toString('utf8').trim().split('\t');
    if (!PROJECT_SCOPES.has(scope)) {
      return {
        kind: 'unusable',
        problem: `core.hooksPath is set in your ${scope} git config (${value}); rea will not install into a hooks directory every repository shares. Set a per-repository one (\`git config core.hooksPath .git/hooks\`) or remove the ${scope} setting, then install again`,
      };
    }
  }
  // Relative to the directory hooks run in: the top of the work tree.
  return { kind: 'found', dir: resolve(top, gitLine(top, ['rev-parse', '--git-path', 'hooks'])), top };
}
