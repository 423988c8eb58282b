import { ErrorCode } from '@modelcontextprotocol/sdk/types.js';
import { readHalt } from '../chain/halt-file.js';
import type { GatewayCore } from './core.js';
import { denialText } from './denial.js';
import { WireError } from './to-wire-error.js';

/**
 * HALT for requests that are not governed calls but still reach a downstream on the agent's behalf
 * (completions, subscriptions, task payloads): one open(), absent → go on, anything else → refuse,
 * recorded like a refusal. Same reading as the kill-switch stage (THREAT_MODEL.md T9).
 */
export async function refuseUnderHalt(core: GatewayCore, surface: 'resource' | 'prompt' | 'tool', server: string, name: string, params: Record<string, unknown>): Promise<void> {
  if (readHalt(core.haltPath).kind === 'absent') return;
  await core.recordRefusal({ surface, server, name, code: 'halt', reason: 'HALT is active', params });
  throw new WireError(ErrorCode.InvalidRequest, denialText('halt'));
}
