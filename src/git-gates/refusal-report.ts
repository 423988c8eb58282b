/**
 * A refusal is told twice: to the person at the terminal (what, where, what next) and to the audit
 * chain (one denied record per deny code, server `git`). Neither carries a secret's value: findings
 * hold a location and a pattern name, and the locations themselves pass through the redactor.
 */
import { appendAuditRecord } from '../audit/one-shot.js';
import { errorMessage } from '../errors.js';
import { createRedactor } from '../scan/redactor.js';
import { neutralizeTerminal } from '../observability/terminal-safe.js';
import { GATE_VERB, type GateFinding, type GateName, type GateRefusal } from './gate-verdict.js';

const MAX_PRINTED_FINDINGS = 50;
const MAX_RECORDED_FINDINGS = 200;


/** A file named like a token, or an error quoting a bad value, must not carry it into the log. */
export function redactFindings(refusals: readonly GateRefusal[]): GateRefusal[] {
  const redactor = createRedactor();
  const clean = (f: GateFinding): GateFinding => ({ where: redactor.redactString(f.where).value, kind: f.kind });
  return refusals.map((r) => ({ ...r, summary: redactor.redactString(r.summary).value, findings: r.findings.map(clean) }));
}

export function renderRefusals(gate: GateName, refusals: readonly GateRefusal[]): string {
  const lines = [`rea ${gate} gate: ${GATE_VERB[gate]} refused.`];
  for (const r of refusals) {
    lines.push('', r.summary);
    for (const f of r.findings.slice(0, MAX_PRINTED_FINDINGS)) lines.push(`  ${neutralizeTerminal(f.where)}  ${f.kind}`);
    if (r.findings.length > MAX_PRINTED_FINDINGS) lines.push(`  … and ${r.findings.length - MAX_PRINTED_FINDINGS} more`);
    lines.push(`Next: ${r.next}`);
  }
  return `${lines.join('\n')}\n`;
}

/** One denied record per refusal; a record that cannot be written is reported, and the refusal stands. */
export async function recordRefusals(root: string, gate: GateName, refusals: readonly GateRefusal[], autonomyLevel: string): Promise<string | undefined> {
  try {
    for (const r of refusals) {
      await appendAuditRecord(root, {
        tool_name: gate,
        server_name: 'git',
        tier: 'write',
        status: 'denied',
        autonomy_level: autonomyLevel,
        session_id: 'git',
        deny_stage: gate,
        deny_code: r.code,
        error: r.summary.replace(/:$/, ''),
        metadata: {
          findings: r.findings.slice(0, MAX_RECORDED_FINDINGS),
          finding_count: r.findings.length,
          user: process.env['USER'] ?? null,
        },
      });
    }
    return undefined;
  } catch (error) {
    return `rea ${gate} gate: the refusal could not be recorded in the audit log: ${errorMessage(error)}\n`;
  }
}
