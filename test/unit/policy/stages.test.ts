import { describe, expect, it } from 'vitest';
import { confirm } from '../../../src/chain/middleware/confirm.js';
import { policy } from '../../../src/chain/middleware/policy.js';
import { tier } from '../../../src/chain/middleware/tier.js';
import type { Confirmation } from '../../../src/chain/types.js';
import { makeContext, runStage, usePolicySources } from './context.js';

const sourceWith = usePolicySources('rea-stages-');

describe('tier stage', () => {
  it('sets ctx.tier from the classifier and records its source', async () => {
    const s = sourceWith('autonomy_level: L1\n');
    const ctx = makeContext({ name: 'deleteNote', policy: s.current() });
    expect(await runStage(tier(), ctx)).toBe(true);
    expect(ctx.tier).toBe('destructive');
    expect(ctx.metadata['tier_source']).toBe('name');
  });

  it('applies registry overrides passed in by the gateway', async () => {
    const s = sourceWith('autonomy_level: L1\n');
    const ctx = makeContext({ server: 'notes', name: 'frob', policy: s.current() });
    await runStage(tier((server) => (server === 'notes' ? { frob: 'read' } : undefined)), ctx);
    expect(ctx.tier).toBe('read');
  });

});

describe('policy stage', () => {
  it('denies a destructive tool at L1 with a short message and the full reason', async () => {
    const s = sourceWith('autonomy_level: L1\n');
    const ctx = makeContext({ name: 'drop_table', server: 'db', policy: s.current() });
    ctx.tier = 'destructive';
    expect(await runStage(policy(), ctx)).toBe(false);
    expect(ctx.autonomy).toBe('L1');
    expect(ctx.decision).toEqual({
      kind: 'deny',
      code: 'tier',
      stage: 'policy',
      reason: 'destructive tool db__drop_table at autonomy L1 (needs L2)',
      message: 'destructive tier needs L2',
    });
  });

  it('matches rules against <server>__<tool> even when the agent sees the bare name (wrap mode)', async () => {
    const s = sourceWith('autonomy_level: L3\nmax_autonomy_level: L3\ntools:\n  - match: "fs__delete_*"\n    deny: true\n');
    const ctx = { ...makeContext({ name: 'delete_file', policy: s.current() }), exposedName: 'delete_file' };
    ctx.tier = 'destructive';
    expect(await runStage(policy(), ctx)).toBe(false);
    expect(ctx.decision).toMatchObject({ code: 'policy', reason: 'fs__delete_file matches a `tools` deny rule' });
  });

  it('decides against the request\'s policy snapshot and records its version', async () => {
    const s = sourceWith('autonomy_level: L2\nmax_autonomy_level: L3\n');
    const ctx = makeContext({ policy: s.current() });
    ctx.tier = 'write';
    expect(await runStage(policy(), ctx)).toBe(true);
    expect(ctx.autonomy).toBe('L2');
    expect(ctx.metadata['policy_version']).toBe(1);
    expect(ctx.needsConfirmation).toBe(false);
  });

  it('marks a destructive call at L2 as needing confirmation, and a pre-approved one as not', async () => {
    const ask = makeContext({ name: 'delete_file', policy: sourceWith('autonomy_level: L2\nmax_autonomy_level: L3\n').current() });
    ask.tier = 'destructive';
    expect(await runStage(policy(), ask)).toBe(true);
    expect(ask.needsConfirmation).toBe(true);
    const approved = makeContext({ name: 'delete_file', policy: sourceWith('autonomy_level: L2\nmax_autonomy_level: L3\ntools:\n  - match: "fs__delete_*"\n    allow: true\n').current() });
    approved.tier = 'destructive';
    expect(await runStage(policy(), approved)).toBe(true);
    expect(approved.needsConfirmation).toBe(false);
  });
});

describe('confirm stage', () => {
  async function confirmAt(level: string, answer: Confirmation | (() => Promise<Confirmation>), extra = '') {
    const s = sourceWith(`autonomy_level: ${level}\nmax_autonomy_level: L3\n${extra}`);
    const asked: string[] = [];
    const ctx = makeContext({
      name: 'delete_file',
      args: { path: 'a.txt', token: 'secret-value' },
      confirm: async (message) => {
        asked.push(message);
        return typeof answer === 'function' ? answer() : answer;
      },
      policy: s.current(),
    });
    ctx.tier = 'destructive';
    // The policy stage makes the one access decision; confirm acts on what it marked.
    const reached = (await runStage(policy(), ctx)) && (await runStage(confirm(), ctx));
    return { reached, ctx, asked };
  }

  it('asks at L2 before a destructive call and proceeds on accept', async () => {
    const { reached, ctx, asked } = await confirmAt('L2', 'accept');
    expect(reached).toBe(true);
    expect(asked).toEqual(['Allow the destructive tool "fs__delete_file" (arguments: path, token)? Autonomy L2 asks before each such call.']);
    expect(ctx.metadata['confirmation']).toBe('accept');
  });

  it.each(['decline', 'cancel', 'timeout'] as const)('denies when the user answers %s', async (answer) => {
    const { reached, ctx } = await confirmAt('L2', answer);
    expect(reached).toBe(false);
    expect(ctx.decision).toEqual({
      kind: 'deny',
      code: 'confirmation',
      stage: 'confirm',
      reason: `user confirmation for destructive tool fs__delete_file: ${answer}`,
      message: `not confirmed by the user (${answer})`,
    });
  });

  it('denies an accepted call when HALT became active while the user was being asked', async () => {
    const s = sourceWith('autonomy_level: L2\nmax_autonomy_level: L3\n');
    let halted = false;
    const ctx = makeContext({
      name: 'delete_file',
      args: { path: 'a.txt' },
      confirm: async () => {
        halted = true; // the operator ran `rea freeze` while the question was open
        return 'accept';
      },
      policy: s.current(),
      needsConfirmation: true,
    });
    ctx.tier = 'destructive';
    expect(await runStage(confirm(() => halted), ctx)).toBe(false);
    expect(ctx.decision).toMatchObject({ kind: 'deny', code: 'halt', stage: 'confirm', message: 'HALT is active' });
  });

  it('denies with a message for the operator when the client cannot elicit', async () => {
    const { reached, ctx } = await confirmAt('L2', 'unsupported');
    expect(reached).toBe(false);
    expect(ctx.decision).toMatchObject({
      code: 'confirmation',
      message: 'destructive tier needs user confirmation, which this client cannot ask for; the operator can raise autonomy to L3 or add a tools allow rule',
    });
  });

  it('times out by policy even if the client never answers', async () => {
    const { reached, ctx } = await confirmAt('L2', () => new Promise<Confirmation>(() => {}), 'confirm:\n  timeout_ms: 1\n');
    expect(reached).toBe(false);
    expect(ctx.metadata['confirmation']).toBe('timeout');
  });

  it('does not ask at L3, nor for a pre-approved tool at L2', async () => {
    expect((await confirmAt('L3', 'decline')).asked).toEqual([]);
    const approved = await confirmAt('L2', 'decline', 'tools:\n  - match: "fs__delete_*"\n    allow: true\n');
    expect(approved.reached).toBe(true);
    expect(approved.asked).toEqual([]);
  });
});
