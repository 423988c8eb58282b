/**
 * One gate run, as git invokes it: find the work tree and the rea project, refuse under HALT, load
 * the policy, ask the gate, and on a refusal tell the person and the audit log. Anything that keeps
 * a gate from deciding (git failing, an unreadable HALT, an invalid policy) refuses: fail closed.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { readHalt } from '../chain/halt-file.js';
import { loadProjectPolicy, type PolicyLoad } from '../config/policy-loader.js';
import { reaPaths } from '../config/project-paths.js';
import { errorMessage } from '../errors.js';
import { findAiAttribution } from './ai-attribution.js';
import { messageLines } from './commit-message.js';
import { GATE_VERB, type GateName, type GateRefusal } from './gate-verdict.js';
import { gitLine, runGit } from './git-command.js';
import { preCommitRefusals } from './pre-commit.js';
import { recordRefusals, redactFindings, renderRefusals } from './refusal-report.js';

export interface GateOutcome {
  readonly exitCode: 0 | 1;
  /** What to print on stderr (empty when the gate passes). */
  readonly message: string;
}

/** `rootFor(top)` finds the rea project for the work tree (an explicit `--dir` or REA_DIR wins). */
export async function runGate(gate: GateName, args: readonly string[], cwd: string, rootFor: (top: string) => string): Promise<GateOutcome> {
  let top: string;
  try {
    top = gitLine(cwd, ['rev-parse', '--show-toplevel']);
  } catch (error) {
    return { exitCode: 1, message: `rea ${gate} gate: ${GATE_VERB[gate]} refused: cannot find the git work tree: ${errorMessage(error)}\nNext: run it from inside the repository, as git does.\n` };
  }
  const root = rootFor(top);
  const paths = reaPaths(root);
  let load: PolicyLoad | undefined;
  let refusals: GateRefusal[];
  try {
    const halt = haltRefusal(paths.halt, gate);
    if (halt) refusals = [halt];
    else if (gate === 'pre-push') refusals = [];
    else {
      load = loadProjectPolicy(root);
      refusals = gate === 'pre-commit' ? preCommitRefusals(top, root, load.policy, load.file) : commitMsgRefusals(top, cwd, args, load.policy.block_ai_attribution);
    }
  } catch (error) {
    const policyFailed = load === undefined && gate !== 'pre-push';
    refusals = [
      {
        code: policyFailed ? 'policy' : 'internal',
        summary: `The ${gate} gate could not decide: ${errorMessage(error)}`,
        findings: [],
        next: policyFailed ? 'fix .rea/policy.yaml (`rea check` shows what is wrong), then retry.' : 'fix the cause above, then retry.',
      },
    ];
  }
  if (refusals.length === 0) return { exitCode: 0, message: '' };
  const told = redactFindings(refusals);
  const recordFailure = await recordRefusals(root, gate, told, load?.policy.autonomy_level ?? 'unknown');
  const trailer = recordFailure ?? `Recorded in ${paths.audit}.\n`;
  return { exitCode: 1, message: `${renderRefusals(gate, told)}\n${trailer}` };
}

function haltRefusal(haltPath: string, gate: GateName): GateRefusal | undefined {
  const halt = readHalt(haltPath);
  switch (halt.kind) {
    case 'absent':
      return undefined;
    case 'present':
    case 'unknown': {
      const reason = halt.kind === 'present' ? halt.reason : `HALT could not be read (${halt.code})`;
      return {
        code: 'halt',
        summary: `.rea/HALT is in force: every governed action stops, this ${GATE_VERB[gate]} included.`,
        findings: [{ where: '.rea/HALT', kind: reason }],
        next: `when the reason is dealt with, a human lifts it with \`rea unfreeze\`; then ${GATE_VERB[gate]} again.`,
      };
    }
    default: {
      const never: never = halt;
      throw new Error(`unknown HALT state ${JSON.stringify(never)}`);
    }
  }
}

function commitMsgRefusals(top: string, cwd: string, args: readonly string[], blockAttribution: boolean): GateRefusal[] {
  if (!blockAttribution) return [];
  const file = args[0];
  if (file === undefined) throw new Error('git gave the commit-msg gate no message file');
  const lines = messageLines(readFileSync(resolve(cwd, file), 'utf8'), commentChar(top));
  const findings = findAiAttribution(lines).map((f) => ({ where: `commit message line ${f.line}`, kind: f.kind }));
  if (findings.length === 0) return [];
  return [
    {
      code: 'ai_attribution',
      summary: `AI attribution in the commit message (${findings.length}); policy \`block_ai_attribution\` is on:`,
      findings,
      next: 'remove those lines (a tool may add them again: turn that off in its settings, e.g. Claude Code `includeCoAuthoredBy: false`), then commit again; your message is kept in .git/COMMIT_EDITMSG.',
    },
  ];
}

/** git's `core.commentChar`; `auto` and multi-character values fall back to `#`. */
function commentChar(top: string): string {
  const run = runGit(top, ['config', '--get', 'core.commentChar']);
  const value = run.stdout.toString('utf8').trim();
  return run.status === 0 && value.length === 1 ? value : '#';
}
