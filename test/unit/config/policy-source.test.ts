import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PolicySource, type PolicyEvent } from '../../../src/config/policy-source.js';

let root: string;
let source: PolicySource | undefined;
let events: PolicyEvent[];

const file = () => join(root, '.rea/policy.yaml');
const write = (body: string) => {
  // Atomic replace, as editors do: the reader never sees a half-written file.
  writeFileSync(`${file()}.tmp`, `version: "1"\n${body}`);
  renameSync(`${file()}.tmp`, file());
};
const open = (options: { watch?: boolean } = {}) => {
  source = new PolicySource({ root, checkIntervalMs: 0, watch: options.watch ?? false, onEvent: (e) => events.push(e) });
  return source;
};

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'rea-policy-source-'));
  mkdirSync(join(root, '.rea'));
  events = [];
});

afterEach(() => {
  source?.close();
  source = undefined;
  rmSync(root, { recursive: true, force: true });
});

describe('PolicySource', () => {
  it('serves DEFAULT_POLICY when there is no policy file', () => {
    const s = open();
    expect(s.current()).toMatchObject({ origin: 'default', autonomy: 'L1', ceiling: 'L2', version: 1 });
  });

  it('returns the same frozen object until the file changes', () => {
    write('autonomy_level: L1\nmax_autonomy_level: L2\n');
    const s = open();
    const first = s.current();
    expect(s.current()).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    write('autonomy_level: L0\nmax_autonomy_level: L2\n');
    const second = s.current();
    expect(second).not.toBe(first);
    expect(second).toMatchObject({ version: 2, autonomy: 'L0' });
    expect(events).toEqual([{ kind: 'reloaded', version: 2, autonomy: 'L0' }]);
  });

  it('picks up an edit through the directory watch', async () => {
    write('autonomy_level: L1\nmax_autonomy_level: L2\n');
    source = new PolicySource({ root, checkIntervalMs: 60_000, onEvent: (e) => events.push(e) });
    source.current();
    write('autonomy_level: L0\nmax_autonomy_level: L2\nblocked_paths: [x]\n');
    await vi.waitFor(() => expect(source!.current().autonomy).toBe('L0'));
  });

  it('keeps the last good policy on an invalid edit and reports it', () => {
    write('autonomy_level: L0\nmax_autonomy_level: L2\n');
    const s = open();
    const good = s.current();
    write('autonomy_level: L9\n');
    expect(s.current()).toBe(good);
    expect(s.lastError).toBe(`${file()}:2: \`autonomy_level\` must be one of L0, L1, L2, L3, got \`L9\``);
    expect(events).toEqual([{ kind: 'reload_failed', error: s.lastError, keptVersion: 1 }]);
    write('autonomy_level: L0\nmax_autonomy_level: L2\nblocked_paths: [a]\n');
    expect(s.current().version).toBe(2);
    expect(s.lastError).toBeUndefined();
  });

  it('keeps the last good policy when the file is removed', () => {
    write('autonomy_level: L0\nmax_autonomy_level: L2\n');
    const s = open();
    const good = s.current();
    rmSync(file());
    expect(s.current()).toBe(good);
    expect(s.lastError).toBe(`${file()} was removed; keeping the last good policy`);
  });

  it('refuses to start on an invalid policy', () => {
    writeFileSync(file(), 'version: "1"\nautonomy_level: nope\n');
    expect(() => open()).toThrow(`${file()}:2: \`autonomy_level\` must be one of L0, L1, L2, L3, got \`nope\``);
  });

  it('lowers autonomy at once', () => {
    write('autonomy_level: L2\nmax_autonomy_level: L3\n');
    const s = open();
    write('autonomy_level: L0\nmax_autonomy_level: L3\n');
    expect(s.current().autonomy).toBe('L0');
    expect(s.pendingPromotion).toBeUndefined();
  });

  it('holds a raise for a human and applies it on confirmation', () => {
    write('autonomy_level: L1\nmax_autonomy_level: L3\n');
    const s = open();
    write('autonomy_level: L3\nmax_autonomy_level: L3\n');
    expect(s.current().autonomy).toBe('L1');
    expect(s.pendingPromotion).toMatchObject({ from: 'L1', to: 'L3' });
    expect(events.map((e) => e.kind)).toEqual(['promotion_pending', 'reloaded']);
    const confirmed = s.confirmPromotion();
    expect(confirmed).toMatchObject({ autonomy: 'L3', version: 3 });
    expect(s.current()).toBe(confirmed);
    expect(events.at(-1)).toEqual({ kind: 'promotion_confirmed', from: 'L1', to: 'L3', version: 3 });
  });

  it('keeps the old level after a rejected raise and does not ask again for the same level', () => {
    write('autonomy_level: L1\nmax_autonomy_level: L3\n');
    const s = open();
    write('autonomy_level: L2\nmax_autonomy_level: L3\n');
    s.current();
    s.rejectPromotion();
    expect(s.pendingPromotion).toBeUndefined();
    write('autonomy_level: L2\nmax_autonomy_level: L3\nblocked_paths: [b]\n');
    expect(s.current().autonomy).toBe('L1');
    expect(s.pendingPromotion).toBeUndefined();
    write('autonomy_level: L3\nmax_autonomy_level: L3\n');
    s.current();
    expect(s.pendingPromotion).toMatchObject({ from: 'L1', to: 'L3' });
  });

  it('applies a raise at once when approval is not required', () => {
    write('autonomy_level: L1\nmax_autonomy_level: L2\npromotion_requires_human_approval: false\n');
    const s = open();
    write('autonomy_level: L2\nmax_autonomy_level: L2\npromotion_requires_human_approval: false\n');
    expect(s.current().autonomy).toBe('L2');
  });

  it('never lifts the startup ceiling at runtime, even when the file raises it', () => {
    write('autonomy_level: L1\nmax_autonomy_level: L2\npromotion_requires_human_approval: false\n');
    const s = open();
    write('autonomy_level: L3\nmax_autonomy_level: L3\npromotion_requires_human_approval: false\n');
    expect(s.current()).toMatchObject({ autonomy: 'L2', ceiling: 'L2' });
    expect(events).toContainEqual({ kind: 'autonomy_clamped', requested: 'L3', ceiling: 'L2' });
  });

  it('does not let an edit that also drops the approval requirement skip approval', () => {
    write('autonomy_level: L0\nmax_autonomy_level: L3\n');
    const s = open();
    write('autonomy_level: L3\nmax_autonomy_level: L3\npromotion_requires_human_approval: false\n');
    expect(s.current().autonomy).toBe('L0');
    expect(s.pendingPromotion).toMatchObject({ from: 'L0', to: 'L3' });
  });
});
