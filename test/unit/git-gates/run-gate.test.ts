/** A gate that cannot decide refuses, and says why (in process; the hook path is in test/integration). */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runGate } from '../../../src/git-gates/run-gate.js';
import { readAudit } from '../../helpers/audit-log.js';
import { gitRepos } from '../../helpers/git-repo.js';

const repo = gitRepos();

describe('runGate', () => {
  it('refuses a commit when the policy is invalid, naming the problem, and records it', async () => {
    const r = repo();
    r.write('.rea/policy.yaml', 'version: "1"\nautonomy_level: L9\n');
    r.write('msg.txt', 'Subject\n');
    for (const [gate, args] of [['pre-commit', []], ['commit-msg', ['msg.txt']]] as const) {
      const outcome = await runGate(gate, args, r.root, (top) => top);
      expect(outcome.exitCode).toBe(1);
      expect(outcome.message).toContain(`rea ${gate} gate: commit refused.`);
      expect(outcome.message).toContain('autonomy_level');
      expect(outcome.message).toContain('Next: fix .rea/policy.yaml (`rea check` shows what is wrong)');
    }
    expect(readAudit(r.root).map((x) => [x.tool_name, x['deny_code']])).toEqual([
      ['pre-commit', 'policy'],
      ['commit-msg', 'policy'],
    ]);
  });

  it('refuses under a HALT it cannot read as a file', async () => {
    const r = repo();
    mkdirSync(join(r.root, '.rea', 'HALT'), { recursive: true });
    const outcome = await runGate('pre-push', [], r.root, (top) => top);
    expect(outcome.exitCode).toBe(1);
    expect(outcome.message).toContain('.rea/HALT  HALT present but unreadable (EISDIR)');
  });

  it('passes the pre-push gate with no HALT and writes nothing', async () => {
    const r = repo();
    expect(await runGate('pre-push', [], r.root, (top) => top)).toEqual({ exitCode: 0, message: '' });
    expect(readAudit(r.root)).toEqual([]);
  });
});
