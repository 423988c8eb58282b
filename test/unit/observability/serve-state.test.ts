import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readServeState, ServeStateSchema, type ServeState } from '../../../src/observability/serve-state.js';

const dir = mkdtempSync(join(tmpdir(), 'rea-serve-state-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const valid: ServeState = {
  serve: { running: true, pid: 4242, session_id: 's-1', started_at: '2026-01-01T00:00:00.000Z', version: '0.5.0' },
  downstreams: [{ name: 'echo', state: 'ready', connected: true, pid: 4243, tools: 1, restarts: 0, last_error: null, circuit: 'closed' }],
  halt: { active: false, reason: null },
  updated_at: '2026-01-01T00:00:01.000Z',
  policy: { autonomy_level: 'L1', version: 1, pending_promotion: { from: 'L1', to: 'L2' }, last_error: null },
  audit: { path: '/p/.rea/audit.jsonl', appended: 3, failures: 0, pending_failure_notes: 0, head_seq: 2, last_error: null },
  telemetry: null,
};

function written(content: string): string {
  const file = join(dir, `state-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, content);
  return file;
}

describe('serve.state.json', () => {
  it('reads back what the gateway writes', () => {
    expect(readServeState(written(JSON.stringify(valid)))).toEqual(valid);
  });

  it('is undefined when missing, not JSON, or not in the shape the gateway writes', () => {
    expect(readServeState(join(dir, 'absent.json'))).toBeUndefined();
    expect(readServeState(written('{"serve":'))).toBeUndefined();
    expect(readServeState(written(JSON.stringify({ ...valid, downstreams: [{ name: 5 }] })))).toBeUndefined();
    expect(readServeState(written(JSON.stringify({ ...valid, policy: { ...valid.policy, pending_promotion: { from: 1 } } })))).toBeUndefined();
  });

  it('names the field that is wrong', () => {
    const parsed = ServeStateSchema.safeParse({ ...valid, serve: { ...valid.serve, pid: 'x' } });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(['serve', 'pid']);
  });
});
