import { describe, expect, it } from 'vitest';
import { parsePolicyText } from '../../../src/config/policy-loader.js';
import { decideAccess, isHiddenFromList } from '../../../src/policy/autonomy.js';
import { compilePolicy } from '../../../src/policy/compiled-policy.js';
import { AUTONOMY_LEVELS, TIERS, type AutonomyLevel, type Tier } from '../../../src/policy/levels.js';

const compiled = (yaml = '') => compilePolicy(parsePolicyText('policy.yaml', `version: "1"\nautonomy_level: L0\nmax_autonomy_level: L3\n${yaml}`));
const id = (tool = 'thing', server = 'fs') => ({ server, tool, exposedName: `${server}__${tool}` });

/** Expected outcome per tier × level with no rules: the L0..L3 contract. */
const EXPECTED: Record<Tier, Record<AutonomyLevel, string>> = {
  read: { L0: 'allow', L1: 'allow', L2: 'allow', L3: 'allow' },
  write: { L0: 'deny:tier:write tier needs L1', L1: 'allow', L2: 'allow', L3: 'allow' },
  destructive: { L0: 'deny:tier:destructive tier needs L2', L1: 'deny:tier:destructive tier needs L2', L2: 'confirm', L3: 'allow' },
};

function summary(decision: ReturnType<typeof decideAccess>): string {
  if (decision.kind === 'deny') return `deny:${decision.code}:${decision.message}`;
  return decision.confirm ? 'confirm' : 'allow';
}

const RULES: { name: string; yaml: string; expect: (tier: Tier, level: AutonomyLevel) => string }[] = [
  { name: 'no rules', yaml: '', expect: (t, l) => EXPECTED[t][l] },
  { name: 'a tools deny rule', yaml: 'tools:\n  - match: "fs__th*"\n    deny: true\n', expect: () => 'deny:policy:tool not allowed by policy' },
  { name: 'a server deny list', yaml: 'servers:\n  fs:\n    deny: ["thing"]\n', expect: () => 'deny:policy:tool not allowed by policy' },
  { name: 'a server allowlist without the tool', yaml: 'servers:\n  fs:\n    allow: ["other_*"]\n', expect: () => 'deny:policy:tool not allowed by policy' },
  { name: 'a server allowlist with the tool', yaml: 'servers:\n  fs:\n    allow: ["th*"]\n', expect: (t, l) => EXPECTED[t][l] },
  {
    name: 'a tools allow rule',
    yaml: 'tools:\n  - match: "fs__thing"\n    allow: true\n',
    expect: (t, l) => (EXPECTED[t][l] === 'confirm' ? 'allow' : EXPECTED[t][l]),
  },
  {
    name: 'a tools confirm rule',
    yaml: 'tools:\n  - match: "fs__*"\n    confirm: true\n',
    expect: (t, l) => (EXPECTED[t][l].startsWith('deny') ? EXPECTED[t][l] : 'confirm'),
  },
  {
    name: 'a deny rule next to an allow rule',
    yaml: 'tools:\n  - match: "fs__thing"\n    allow: true\n  - match: "fs__*"\n    deny: true\n',
    expect: () => 'deny:policy:tool not allowed by policy',
  },
];

describe('decideAccess: every tier × every level × rules', () => {
  for (const rules of RULES) {
    const policy = compiled(rules.yaml);
    for (const tier of TIERS) {
      for (const level of AUTONOMY_LEVELS) {
        const expected = rules.expect(tier, level);
        it(`with ${rules.name}, a ${tier} tool at ${level}: ${expected}`, () => {
          expect(summary(decideAccess(policy, level, id(), tier))).toBe(expected);
        });
      }
    }
  }

  it('puts the full reason for the audit in the decision', () => {
    expect(decideAccess(compiled(), 'L1', id('rm'), 'destructive')).toEqual({
      kind: 'deny',
      code: 'tier',
      reason: 'destructive tool fs__rm at autonomy L1 (needs L2)',
      message: 'destructive tier needs L2',
    });
    expect(decideAccess(compiled('servers:\n  fs:\n    allow: ["get_*"]\n'), 'L3', id('rm'), 'read')).toEqual({
      kind: 'deny',
      code: 'policy',
      reason: 'fs__rm is not in `servers.fs.allow`',
      message: 'tool not allowed by policy',
    });
  });

  it('hides tools the policy denies outright, and only those', () => {
    const policy = compiled('tools:\n  - match: "fs__secret_*"\n    deny: true\nservers:\n  git:\n    allow: ["status"]\n');
    expect(isHiddenFromList(policy, id('secret_dump'))).toBe(true);
    expect(isHiddenFromList(policy, id('push', 'git'))).toBe(true);
    expect(isHiddenFromList(policy, id('status', 'git'))).toBe(false);
    expect(isHiddenFromList(policy, id('delete_file'))).toBe(false);
  });

  it('treats an empty allowlist as allowing nothing', () => {
    expect(summary(decideAccess(compiled('servers:\n  fs:\n    allow: []\n'), 'L3', id(), 'read'))).toBe('deny:policy:tool not allowed by policy');
  });
});
