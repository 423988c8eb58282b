import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPolicyFile } from '../../../src/config/policy-loader.js';
import { DEFAULT_POLICY } from '../../../src/config/policy-schema.js';

const repo = join(import.meta.dirname, '../../..');

describe('policy documentation', () => {
  it('ships an example that loads and names every top-level key', () => {
    const example = loadPolicyFile(join(repo, 'examples/policy.yaml'));
    expect(Object.keys(example).sort()).toEqual(
      [...Object.keys(DEFAULT_POLICY), 'installed_at', 'installed_by', 'context_protection', 'review', 'telemetry'].sort(),
    );
  });

  it('documents every top-level key in the reference', () => {
    const reference = readFileSync(join(repo, 'docs/policy-reference.md'), 'utf8');
    const example = loadPolicyFile(join(repo, 'examples/policy.yaml'));
    for (const key of Object.keys(example)) expect(reference).toContain(`\`${key}`);
  });
});
