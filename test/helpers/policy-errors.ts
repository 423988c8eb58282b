import { expect } from 'vitest';
import { isReaError } from '../../src/errors.js';
import { parsePolicyText } from '../../src/config/policy-loader.js';

/** The message a policy text is refused with (the test fails when it loads). */
export function policyLoadError(text: string): string {
  try {
    parsePolicyText('policy.yaml', text);
  } catch (error) {
    expect(isReaError(error, 'CONFIG_INVALID')).toBe(true);
    return (error as Error).message;
  }
  throw new Error('expected the policy to be refused');
}
