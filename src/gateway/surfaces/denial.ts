import type { DenyCode } from '../../chain/types.js';

/**
 * The short, stable phrase an agent sees for each denial: enough to report, too generic to coach
 * the model around the rule. The full reason goes to the audit record only.
 */
const SHORT: Record<DenyCode, string> = {
  halt: 'HALT is active',
  tier: 'tool tier not allowed at this autonomy level',
  policy: 'tool not allowed by policy',
  blocked_path: 'blocked path',
  rate_limit: 'rate limit',
  circuit_open: 'server circuit open',
  confirmation: 'not confirmed by the user',
  injection: 'injection detected',
  tofu: 'tool changed since it was approved',
  audit_unavailable: 'audit log unavailable',
  internal: 'internal error',
};

export function denialText(code: DenyCode, message?: string): string {
  return `Denied by rea: ${message ?? SHORT[code]}`;
}

/**
 * A denial is a tool result with isError, not a protocol error: the agent can read and report it.
 * `_meta` carries the stable code and the call id, so an operator can find the full reason in the
 * audit log (`rea audit query`) without the agent ever seeing it.
 */
export function denialResult(code: DenyCode, message: string | undefined, callId: string): Record<string, unknown> {
  return {
    content: [{ type: 'text', text: denialText(code, message) }],
    isError: true,
    _meta: { 'rea/denied': code, 'rea/call_id': callId },
  };
}
