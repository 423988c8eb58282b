import { spawnSync } from 'node:child_process';
import { ReaError } from '../errors.js';

/** Staged blobs can be large; anything past this is refused by the caller before it is read. */
const MAX_GIT_OUTPUT_BYTES = 512 * 1024 * 1024;

export interface GitRun {
  readonly status: number;
  readonly stdout: Buffer;
  readonly stderr: string;
}

/**
 * Run git synchronously in `cwd` and return what it printed. The environment is inherited on
 * purpose: inside a hook git sets GIT_INDEX_FILE to the index being committed (`git commit -a`,
 * `git commit <path>` use a temporary one), and `git diff --cached` must read that index.
 * Throws ReaError INTERNAL when git cannot be started at all.
 */
export function runGit(cwd: string, args: readonly string[], input?: string | Buffer): GitRun {
  const run = spawnSync('git', args, { cwd, input, maxBuffer: MAX_GIT_OUTPUT_BYTES, stdio: ['pipe', 'pipe', 'pipe'] });
  if (run.error !== undefined) {
    throw new ReaError('INTERNAL', `could not run git ${args[0] ?? ''}: ${run.error.message}; is git on PATH?`, { cause: run.error });
  }
  return { status: run.status ?? 1, stdout: run.stdout, stderr: run.stderr.toString('utf8').trim() };
}

/** Like runGit, but a non-zero exit is an error naming the command and git's own message. */
export function gitOutput(cwd: string, args: readonly string[], input?: string | Buffer): Buffer {
  const run = runGit(cwd, args, input);
  if (run.status !== 0) throw new ReaError('INTERNAL', `git ${args.join(' ')} failed (exit ${run.status}): ${run.stderr || 'no message'}`);
  return run.stdout;
}

/** One line of git output as text (a path, a config value), without the trailing newline. */
export function gitLine(cwd: string, args: readonly string[]): string {
  return gitOutput(cwd, args).toString('utf8').replace(/\n$/, '');
}
