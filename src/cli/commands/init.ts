import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { PROFILE_NAMES, renderProfile } from '../../config/profiles.js';
import { reaPaths } from '../../config/project-paths.js';
import { errorMessage } from '../../errors.js';
import { EXIT } from '../exit-codes.js';

export const EMPTY_REGISTRY = '# Downstream MCP servers rea spawns and governs (see the README).\nversion: "1"\nservers: []\n';

export interface InitResult {
  readonly policyFile: string;
  readonly wroteRegistry: boolean;
}

/** Write `.rea/policy.yaml` from a profile (and an empty registry when there is none). */
export function initProject(root: string, profile: string, force: boolean): InitResult {
  const paths = reaPaths(root);
  if (existsSync(paths.policy) && !force) {
    throw new Error(`${paths.policy} already exists; pass --force to overwrite it`);
  }
  const text = renderProfile(profile, installer());
  mkdirSync(paths.dir, { recursive: true });
  writeFileSync(paths.policy, text, { mode: 0o644 });
  const wroteRegistry = !existsSync(paths.registry);
  if (wroteRegistry) writeFileSync(paths.registry, EMPTY_REGISTRY, { flag: 'wx' });
  return { policyFile: paths.policy, wroteRegistry };
}

function installer(): string {
  try {
    return process.env['USER'] ?? userInfo().username;
  } catch {
    return 'unknown';
  }
}

export function registerInitCommand(program: Command, resolveRoot: () => string): void {
  program
    .command('init')
    .description(`Write .rea/policy.yaml from a profile (${PROFILE_NAMES.join(', ')})`)
    .option('--profile <name>', 'policy profile to start from', 'minimal')
    .option('--force', 'overwrite an existing .rea/policy.yaml')
    .action((opts: { profile: string; force?: boolean }) => {
      try {
        const result = initProject(resolveRoot(), opts.profile, opts.force === true);
        process.stdout.write(`Wrote ${result.policyFile} (profile ${opts.profile})\n`);
        if (result.wroteRegistry) process.stdout.write('Wrote an empty .rea/registry.yaml\n');
        process.stdout.write('Check it with: rea check\n');
      } catch (error) {
        process.stderr.write(`rea init: ${errorMessage(error)}\n`);
        process.exitCode = EXIT.FAILURE;
      }
    });
}
