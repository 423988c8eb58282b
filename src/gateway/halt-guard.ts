import { closeSync, openSync } from 'node:fs';
import { ErrorCode } from '@modelcontextprotocol/sdk/types.js';
import type { GatewayCore } from './core.js';
import { denialText } from './denial.js';
import { WireError } from './to-wire-error.js';

/**
 * HALT for requests that are not governed calls but still reach a downstream on the agent's behalf
 * (completions, subscriptions, task payloads): one open(), absent → go on, anything else → refuse,
 * recorded like a refusal. Same rule as the kill-switch stage (THREAT_MODEL.md T9).
 */
export async function refuseUnderHalt(core: GatewayCore, surface: 'resource' | 'prompt' | 'tool', server: string, name: string, params: Record<string, unknown>): Promise<void> {
  try {
    closeSync(openSync(core.haltPath, 'r'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
  }
  await core.recordRefusal({ surface, server, name, code: 'halt', reason: 'HALT is active', params });
  throw new WireError(ErrorCode.InvalidRequest, denialText('halt'));
}
