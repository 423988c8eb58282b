import { describe, expect, it } from 'vitest';
import { recordScrubber } from '../../../../src/gateway/serve/audit-wiring.js';
import { createRedactor, type Redactor } from '../../../../src/scan/redactor.js';
import type { AuditInput } from '../../../../src/audit/record.js';

const TOKEN = `ghp_${'a1B2c3D4e5'.repeat(4)}`;

/** The real redactor, counting the strings it is asked to scan. */
function countingRedactor(): { redactor: Redactor; scanned: string[] } {
  const real = createRedactor();
  const scanned: string[] = [];
  const redactor: Redactor = {
    matchTimeoutMs: real.matchTimeoutMs,
    redactString: (text) => {
      scanned.push(text);
      return real.redactString(text);
    },
    redactValue: (value, path) => real.redactValue(value, path),
  };
  return { redactor, scanned };
}

const call = (metadata: Record<string, unknown>): AuditInput => ({ tool_name: 'read_file', server_name: 'fs', metadata });

describe('recordScrubber', () => {
  it('scans a repeated tool name and rea metadata once, not on every record', () => {
    const { redactor, scanned } = countingRedactor();
    const scrub = recordScrubber(() => redactor);
    const input = call({ halt_decision: 'absent', tier_source: 'name', policy_version: 1 });
    expect(scrub(input)).toBe(input);
    const first = scanned.length;
    expect(first).toBeGreaterThan(0);
    expect(scrub(call({ halt_decision: 'absent', tier_source: 'name', policy_version: 2 }))).toMatchObject({ tool_name: 'read_file' });
    expect(scanned.length).toBe(first);
  });

  it('redacts a secret in the tool name, a metadata value, a nested value and a metadata key as the redactor does', () => {
    const { redactor } = countingRedactor();
    const scrub = recordScrubber(() => redactor);
    const plain = createRedactor();
    // Twice: the second pass answers from what the first remembered.
    for (let pass = 0; pass < 2; pass += 1) {
      const metadata = { detail: `token ${TOKEN}`, nested: { list: ['ok', TOKEN] }, [TOKEN]: 'key', halt_decision: 'absent' };
      const out = scrub({ tool_name: TOKEN, server_name: 'fs', metadata });
      expect(out.tool_name).toBe(plain.redactString(TOKEN).value);
      expect(out.tool_name).not.toContain(TOKEN);
      expect(out.metadata).toEqual(plain.redactValue(metadata, 'metadata').value);
      expect(JSON.stringify(out.metadata)).not.toContain(TOKEN);
    }
  });

  it('starts over with a new redactor (a policy reload with new patterns)', () => {
    const first = countingRedactor();
    let current = first.redactor;
    const scrub = recordScrubber(() => current);
    scrub(call({ note: 'internal-code-7' }));
    current = createRedactor({ userPatterns: [] , exactValues: ['internal-code-7'] });
    expect(scrub(call({ note: 'internal-code-7' })).metadata).toEqual({ note: current.redactString('internal-code-7').value });
    expect(current.redactString('internal-code-7').value).not.toBe('internal-code-7');
  });
});
