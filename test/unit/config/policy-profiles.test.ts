import type { ServeState } from '../../../src/observability/serve-state.js';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkProject, renderCheck } from '../../../src/cli/commands/check.js';
import { EMPTY_REGISTRY, initProject, type InitOptions } from '../../../src/setup/init-project.js';
import { parsePolicyText } from '../../../src/config/policy-loader.js';
import { loadProfile, PROFILE_NAMES, renderProfile } from '../../../src/config/profiles.js';
import { reaPaths } from '../../../src/config/project-paths.js';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'rea-init-'));
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('profiles', () => {
  it.each(PROFILE_NAMES)('ships %s as a valid policy', (name) => {
    expect(loadProfile(name).profile).toBe(name);
  });

  it('orders the profiles from most to least permissive ceiling', () => {
    expect(PROFILE_NAMES.map((n) => loadProfile(n).max_autonomy_level)).toEqual(['L2', 'L2', 'L1', 'L0']);
  });

  it('stamps installed_by and installed_at and keeps the comments', () => {
    const text = renderProfile('strict', 'alice', new Date('2025-01-02T03:04:05.000Z'));
    expect(text).toContain('# rea policy profile: strict');
    expect(parsePolicyText('p.yaml', text)).toMatchObject({ installed_by: 'alice', installed_at: '2025-01-02T03:04:05.000Z' });
  });

  it('names the known profiles for an unknown one', () => {
    expect(() => renderProfile('lax', 'a')).toThrow('Unknown profile `lax`: use one of minimal, open-source, client-engagement, strict');
  });
});

const init = (profile: string, force = false): string[] => initProject(root, { profile, force, mcpMode: 'wrap', installedBy: 'test' } satisfies InitOptions);

describe('rea init', () => {
  it('writes the policy and an empty registry', () => {
    const report = init('open-source');
    const paths = reaPaths(root);
    expect(report).toContain('.rea/policy.yaml: written from profile open-source');
    expect(parsePolicyText(paths.policy, readFileSync(paths.policy, 'utf8')).profile).toBe('open-source');
    expect(readFileSync(paths.registry, 'utf8')).toBe(EMPTY_REGISTRY);
  });

  it('keeps an edited policy unless forced, and keeps an existing registry', () => {
    const paths = reaPaths(root);
    mkdirSync(paths.dir);
    writeFileSync(paths.policy, 'version: "1"\n');
    writeFileSync(paths.registry, 'version: "1"\nservers: []\n# mine\n');
    expect(init('minimal')).toContain('.rea/policy.yaml: kept (it exists; --force replaces it)');
    expect(readFileSync(paths.policy, 'utf8')).toBe('version: "1"\n');
    expect(init('minimal', true)).toContain('.rea/policy.yaml: written from profile minimal');
    expect(readFileSync(paths.registry, 'utf8')).toContain('# mine');
  });
});

describe('rea check', () => {
  it('reports the default policy when there is none', () => {
    const report = checkProject(reaPaths(root));
    expect(report).toMatchObject({ ok: true, policy: { origin: 'default' }, registry: null, pending_promotion: null, error: null });
    expect(renderCheck(report)).toContain('the default policy is in force');
  });

  it('prints the effective policy and a pending raise from the gateway state', () => {
    init('client-engagement');
    // As the gateway writes it (observability/serve-state.ts): a partial or foreign file means no raise.
    const state: ServeState = {
      serve: { running: true, pid: 4242, session_id: 's', started_at: '2026-01-01T00:00:00.000Z', version: '0.5.0' },
      downstreams: [],
      halt: { active: false, reason: null },
      updated_at: '2026-01-01T00:00:00.000Z',
      policy: { autonomy_level: 'L0', version: 1, pending_promotion: { from: 'L0', to: 'L1' }, last_error: null },
    };
    writeFileSync(reaPaths(root).state, JSON.stringify({ policy: state.policy }));
    expect(checkProject(reaPaths(root)).pending_promotion).toBeNull();
    writeFileSync(reaPaths(root).state, JSON.stringify(state));
    const report = checkProject(reaPaths(root));
    expect(report).toMatchObject({ ok: true, registry: { servers: 0 }, pending_promotion: { from: 'L0', to: 'L1' } });
    const text = renderCheck(report);
    expect(text).toContain('PENDING: the running gateway holds an autonomy raise L0 -> L1');
    expect(text).toContain('autonomy_level: L0');
  });

  it('fails with the load error', () => {
    const paths = reaPaths(root);
    mkdirSync(paths.dir);
    writeFileSync(paths.policy, 'version: "1"\nautonomy_level: L7\n');
    const report = checkProject(paths);
    expect(report).toMatchObject({ ok: false, error: `${paths.policy}:2: \`autonomy_level\` must be one of L0, L1, L2, L3, got \`L7\`` });
    expect(renderCheck(report)).toBe(`rea check: ${report.error}\n`);
  });
});
