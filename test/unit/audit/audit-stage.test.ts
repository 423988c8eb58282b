import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, readFile, rename, rm, rmdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compose } from '../../../src/chain/compose.js';
import { audit } from '../../../src/chain/middleware/audit.js';
import { recordEvent } from '../../../src/audit/gateway-event.js';
import { intent } from '../../../src/chain/middleware/intent.js';
import { defaultPolicy } from '../policy/context.js';
import { deny } from '../../../src/chain/types.js';
import type { Middleware, RequestContext } from '../../../src/chain/types.js';
import { AuditLog, verifyChain } from '../../../src/audit/index.js';
import type { AuditRecord } from '../../../src/audit/index.js';

let dir: string;
let log: AuditLog;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rea-audit-stage-'));
  log = await AuditLog.open(join(dir, '.rea', 'audit.jsonl'), { sessionId: 'sess' });
});
afterEach(async () => {
  await log.close();
  await rm(dir, { recursive: true, force: true });
});

/** Makes the log unwritable even for root: its path becomes a directory. */
async function breakLog(): Promise<void> {
  await rename(log.path, `${log.path}.aside`);
  await mkdir(log.path);
}

async function repairLog(): Promise<void> {
  await rmdir(log.path);
  await rename(`${log.path}.aside`, log.path);
}

async function records(): Promise<AuditRecord[]> {
  const text = await readFile(log.path, 'utf8');
  return text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as AuditRecord);
}

function context(overrides: Partial<RequestContext> = {}, forwarded: unknown[] = []): RequestContext {
  return {
    callId: 'call-1', sessionId: 'sess', surface: 'tool', server: 'fs', name: 'write_file', exposedName: 'fs__write_file',
    params: { name: 'fs__write_file', arguments: { path: 'a.txt', content: 'secret' } }, args: { path: 'a.txt', content: 'secret' },
    hints: {}, serverCwd: dir, tier: 'write', policy: defaultPolicy(), autonomy: 'L2', needsConfirmation: false, argsDigest: undefined, signal: new AbortController().signal, startedAt: performance.now(),
    decision: { kind: 'allow' }, metadata: {}, redactedFields: [], confirm: async () => 'unsupported',
    forward: async (args) => {
      forwarded.push(args);
      return { content: [{ type: 'text', text: 'ok' }] };
    },
    ...overrides,
  };
}

const execute: Middleware = async function execute(ctx) {
  try {
    ctx.outcome = { kind: 'result', result: await ctx.forward(ctx.args, ctx.signal) };
  } catch (error) {
    ctx.outcome = { kind: 'error', error };
  }
};

describe('audit stage', () => {
  it('writes a durable intent before forwarding a write call and one outcome after it', async () => {
    let seenAtForward: AuditRecord[] = [];
    const ctx = context({ forward: async () => {
      seenAtForward = await records();
      return { content: [] };
    } });
    await compose([audit(() => log), intent(() => log), execute])(ctx);
    const all = await records();
    expect(seenAtForward.map((r) => r.phase)).toEqual(['intent']);
    expect(all.map((r) => [r.phase, r.status, r.call_id])).toEqual([['intent', 'allowed', 'call-1'], ['outcome', 'allowed', 'call-1']]);
    expect(JSON.stringify(all)).not.toContain('secret');
    expect(all[1]?.args_digest).toMatch(/^[0-9a-f]{64}$/);
  });

  it('writes no intent for a read call', async () => {
    await compose([audit(() => log), intent(() => log), execute])(context({ tier: 'read' }));
    expect((await records()).map((r) => r.phase)).toEqual(['outcome']);
  });

  it('records a denial with its stage, code and full reason, and no intent', async () => {
    const tierStage: Middleware = async function tier(ctx) {
      deny(ctx, 'tier', 'tier', 'Blocked write tool fs__write_file at autonomy L1 (needs L2)', 'not allowed');
    };
    const forwarded: unknown[] = [];
    await compose([audit(() => log), tierStage, intent(() => log), execute])(context({}, forwarded));
    expect(forwarded).toEqual([]);
    const [only, ...rest] = await records();
    expect(rest).toEqual([]);
    expect(only).toMatchObject({ phase: 'outcome', status: 'denied', deny_stage: 'tier', deny_code: 'tier', error: 'Blocked write tool fs__write_file at autonomy L1 (needs L2)' });
  });

  it('turns an exception in an inner stage into an internal denial and records it', async () => {
    const buggy: Middleware = async function buggy() {
      throw new Error('boom');
    };
    const ctx = context();
    await compose([audit(() => log), buggy, intent(() => log), execute])(ctx);
    expect(ctx.decision).toMatchObject({ kind: 'deny', code: 'internal', stage: 'audit' });
    expect((await records())[0]).toMatchObject({ status: 'denied', deny_code: 'internal', error: 'Internal error while handling fs__write_file: boom' });
  });

  it('records a downstream error and a cancellation as errors', async () => {
    const controller = new AbortController();
    controller.abort();
    await compose([audit(() => log), intent(() => log), execute])(context({ tier: 'read', signal: controller.signal, forward: async () => {
      throw new Error('aborted');
    } }));
    expect((await records())[0]).toMatchObject({ status: 'error', error: 'aborted', metadata: { outcome: 'cancelled' } });
  });

  it('refuses a write call and never forwards it when the intent record cannot be written', async () => {
    await breakLog();
    const forwarded: unknown[] = [];
    const ctx = context({}, forwarded);
    log.setOptions({ sessionId: 'sess', writeTimeoutMs: 500 });
    await compose([audit(() => log), intent(() => log), execute])(ctx);
    expect(forwarded).toEqual([]);
    expect(ctx.decision).toMatchObject({ kind: 'deny', code: 'audit_unavailable', stage: 'intent' });
    expect(log.getStats().failures).toBeGreaterThan(0);
    await repairLog();
    await recordEvent(log, { event: 'start', detail: { pid: 1 } });
    const all = await records();
    expect(all.map((r) => r.tool_name)).toEqual(['rea.audit.write_failed', 'rea.gateway.start']);
    expect((await verifyChain({ files: [log.path] })).ok).toBe(true);
    expect(all[0]?.metadata).toMatchObject({ lost_records: 2 });
  });

  it('lets the call through with on_failure allow and records the failure once writing works', async () => {
    await breakLog();
    log.setOptions({ sessionId: 'sess', onFailure: 'allow', writeTimeoutMs: 500 });
    const forwarded: unknown[] = [];
    const ctx = context({}, forwarded);
    await compose([audit(() => log), intent(() => log), execute])(ctx);
    expect(forwarded).toHaveLength(1);
    expect(ctx.decision).toEqual({ kind: 'allow' });
    await repairLog();
    await recordEvent(log, { event: 'stop' });
    expect((await records()).map((r) => r.tool_name)).toEqual(['rea.audit.write_failed', 'rea.gateway.stop']);
  });
});
