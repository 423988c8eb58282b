import { createInterface, type Interface } from 'node:readline/promises';
import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { PROFILE_NAMES } from '../../config/profiles.js';
import { errorMessage } from '../../errors.js';
import { initProject, undoInit, type InitOptions } from '../../setup/init-project.js';
import { EXIT } from '../exit-codes.js';

interface InitFlags {
  profile?: string;
  force?: boolean;
  yes?: boolean;
  undo?: boolean;
  registry?: boolean;
}

export function registerInitCommand(program: Command, resolveRoot: () => string): void {
  program
    .command('init')
    .description('Wire this project: policy, .mcp.json servers through rea, Claude Code hooks, git gates, .gitignore')
    .option('--profile <name>', `policy profile to start from (${PROFILE_NAMES.join(', ')})`)
    .option('--yes', 'do not ask; use the defaults (profile minimal)')
    .option('--force', 'replace an existing .rea/policy.yaml with the profile')
    .option('--registry', 'move .mcp.json stdio servers into .rea/registry.yaml behind one rea entry (tools become <server>__<tool>) instead of wrapping each')
    .option('--undo', 'take back what rea init did')
    .action(async (flags: InitFlags) => {
      const root = resolveRoot();
      try {
        if (flags.undo) {
          print(`rea init --undo in ${root}`, undoInit(root));
          return;
        }
        const interactive = flags.yes !== true && process.stdin.isTTY === true && process.stdout.isTTY === true;
        // One line reader for every question, buffered: answers typed ahead are not lost.
        const rl = interactive ? createInterface({ input: process.stdin, terminal: false }) : undefined;
        const ask = rl ? asker(rl) : undefined;
        try {
          const options: InitOptions = {
            profile: flags.profile ?? (ask ? await askProfile(ask) : 'minimal'),
            force: flags.force === true,
            mcpMode: flags.registry === true ? 'registry' : 'wrap',
            installedBy: installer(),
          };
          if (!(PROFILE_NAMES as readonly string[]).includes(options.profile)) throw new Error(`unknown profile \`${options.profile}\`: use one of ${PROFILE_NAMES.join(', ')}`);
          if (ask && !(await confirm(ask, root, options))) {
            process.stdout.write('Nothing changed.\n');
            return;
          }
          print(`rea init in ${root}`, initProject(root, options));
        } finally {
          rl?.close();
        }
        process.stdout.write('Check it with: rea doctor\n');
      } catch (error) {
        process.stderr.write(`rea init: ${errorMessage(error)}\n`);
        process.exitCode = EXIT.FAILURE;
      }
    });
}

function print(title: string, lines: readonly string[]): void {
  process.stdout.write(`${title}\n${lines.map((l) => `  ${l}`).join('\n')}\n`);
}

type Ask = (prompt: string) => Promise<string | undefined>;

/** A question on stdout, the next line of stdin as the answer (undefined at end of input). */
function asker(rl: Interface): Ask {
  const lines = rl[Symbol.asyncIterator]();
  return async (prompt) => {
    process.stdout.write(prompt);
    const next = await lines.next();
    return next.done === true ? undefined : String(next.value).trim();
  };
}

async function askProfile(ask: Ask): Promise<string> {
  const answer = await ask(`Policy profile (${PROFILE_NAMES.join(', ')}) [minimal]: `);
  return answer === undefined || answer === '' ? 'minimal' : answer;
}

async function confirm(ask: Ask, root: string, options: InitOptions): Promise<boolean> {
  process.stdout.write(
    `rea init will, in ${root}:\n  write .rea/policy.yaml from profile ${options.profile} (if absent${options.force ? ', or replace it' : ''}) and .rea/registry.yaml (if absent)\n` +
      `  ${options.mcpMode === 'wrap' ? 'run every .mcp.json stdio server through rea serve --wrap' : 'move .mcp.json stdio servers into .rea/registry.yaml behind one rea entry'}\n` +
      '  register rea hooks in .claude/settings.json, install the git gates, add .gitignore lines\n',
  );
  // End of input is no answer, not a yes.
  const answer = (await ask('Go ahead? [Y/n] '))?.toLowerCase();
  return answer === '' || answer === 'y' || answer === 'yes';
}

function installer(): string {
  try {
    return process.env['USER'] ?? userInfo().username;
  } catch {
    return 'unknown';
  }
}
