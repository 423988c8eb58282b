import { describe, expect, it } from 'vitest';
import { policyLoadError } from '../../helpers/policy-errors.js';
import { parsePolicyText } from '../../../src/config/policy-loader.js';
import { DEFAULT_POLICY } from '../../../src/config/policy-schema.js';

const loadError = policyLoadError;

const REA_04_POLICY = `version: "1"
profile: client-engagement
installed_by: alice
installed_at: "2025-01-01T00:00:00.000Z"
autonomy_level: L0
max_autonomy_level: L1
promotion_requires_human_approval: true
block_ai_attribution: true
blocked_paths:
  - .env
  - secrets/
notification_channel: ""
injection_detection: warn
injection:
  suspicious_blocks_writes: false
context_protection:
  delegate_to_subagent: [pnpm run build]
  max_bash_output_lines: 100
review:
  codex_required: false
redact:
  match_timeout_ms: 50
  patterns:
    - name: internal-token
      regex: "itk_[A-Za-z0-9]{32}"
      flags: i
audit:
  rotation:
    max_bytes: 52428800
    max_age_days: 30
`;

describe('policy schema', () => {
  it('loads a rea 0.4 policy with its meaning intact', () => {
    const policy = parsePolicyText('policy.yaml', REA_04_POLICY);
    expect(policy).toMatchObject({
      autonomy_level: 'L0',
      max_autonomy_level: 'L1',
      blocked_paths: ['.env', 'secrets/'],
      injection_detection: 'warn',
      injection: { suspicious_blocks_writes: false },
      redact: { match_timeout_ms: 50, arguments: 'redact', patterns: [{ name: 'internal-token', regex: 'itk_[A-Za-z0-9]{32}', flags: 'i' }] },
      audit: { durability: 'durable', on_failure: 'deny', rotation: { max_bytes: 52428800, max_age_days: 30 } },
    });
    expect(Object.isFrozen(policy.blocked_paths)).toBe(true);
  });

  it('fills safe defaults and takes the ceiling from autonomy_level when none is given', () => {
    const policy = parsePolicyText('policy.yaml', 'version: 1\nautonomy_level: L2\n');
    expect(policy.max_autonomy_level).toBe('L2');
    expect(policy.promotion_requires_human_approval).toBe(true);
    expect(policy.gateway.expose_errors).toBe(false);
    expect(policy.limits.max_result_bytes).toBe(1_048_576);
    expect(policy.circuit_breaker).toEqual({ failure_threshold: 5, cooldown_ms: 30_000, half_open_max_calls: 1, count_timeouts: true });
  });

  it('defaults to L1 with an L2 ceiling when there is no policy file', () => {
    expect(DEFAULT_POLICY).toMatchObject({ autonomy_level: 'L1', max_autonomy_level: 'L2', promotion_requires_human_approval: true });
    expect(Object.isFrozen(DEFAULT_POLICY)).toBe(true);
  });

  it('names the allowed levels and the value for a bad autonomy level', () => {
    expect(loadError('version: "1"\nautonomy_level: L4\n')).toBe('policy.yaml:2: `autonomy_level` must be one of L0, L1, L2, L3, got `L4`');
  });

  it('refuses autonomy above the ceiling', () => {
    expect(loadError('version: "1"\nautonomy_level: L3\nmax_autonomy_level: L2\n')).toBe(
      'policy.yaml:2: `autonomy_level` is L3, above `max_autonomy_level` L2; lower it or raise the ceiling',
    );
  });

  it('requires version "1"', () => {
    expect(loadError('version: "2"\n')).toBe('policy.yaml:1: `version` must be `1`, got `2`');
    expect(loadError('autonomy_level: L1\n')).toBe('policy.yaml:1: `version` is required (`1`)');
  });

  it('lists the known keys for a typo', () => {
    expect(loadError('version: "1"\ntools:\n  - match: "x__*"\n    alow: true\n')).toBe(
      'policy.yaml:4: `tools[0].alow` is not a known key (allowed: match, tier, allow, deny, confirm)',
    );
  });

  it('names the expected type and the value', () => {
    expect(loadError('version: "1"\nlimits:\n  max_result_bytes: big\n')).toBe('policy.yaml:3: `limits.max_result_bytes` must be a number, got `big`');
    expect(loadError('version: "1"\nrate_limits:\n  tools:\n    "fs__*":\n      rate: -1\n')).toBe(
      'policy.yaml:5: `rate_limits.tools.fs__*.rate` must be greater than 0, got `-1`',
    );
  });

  it('explains a bad injection action against its first form', () => {
    expect(loadError('version: "1"\ninjection:\n  actions:\n    result:\n      suspicious: nope\n')).toBe(
      'policy.yaml:5: `injection.actions.result.suspicious` must be one of block, warn, quarantine, got `nope`',
    );
  });

  it('refuses a tools rule that both allows and denies', () => {
    expect(loadError('version: "1"\ntools:\n  - match: "x__*"\n    allow: true\n    deny: true\n')).toBe(
      'policy.yaml:5: `tools[0].deny` cannot set both `allow` and `deny`',
    );
  });

  it('refuses a redact pattern that safe-regex flags, naming it', () => {
    expect(loadError('version: "1"\nredact:\n  patterns:\n    - name: bad\n      regex: "(a+)+$"\n')).toBe(
      'policy.yaml:5: `redact.patterns[0].regex` (pattern "bad") may backtrack catastrophically (safe-regex); bound its quantifiers and avoid nested repetition',
    );
  });

  it('refuses a redact pattern that does not compile', () => {
    expect(loadError('version: "1"\nredact:\n  patterns:\n    - name: broken\n      regex: "(abc"\n')).toMatch(
      /^policy\.yaml:5: `redact\.patterns\[0\]\.regex` \(pattern "broken"\) does not compile: /,
    );
  });

  it('refuses invalid YAML with its line', () => {
    expect(loadError('version: "1"\nautonomy_level: L1\nautonomy_level: L2\n')).toBe('policy.yaml:3: is not valid YAML: duplicate key');
  });
});
