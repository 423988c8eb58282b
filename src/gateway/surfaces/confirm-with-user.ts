import type { Cancellation, Confirmation } from '../../chain/types.js';
import { abortSignalOf } from '../transport/cancellation.js';
import type { GatewayCore } from './core.js';

/**
 * Ask the human through MCP elicitation (spec 2025-06-18, "elicitation/create") whether a call
 * may proceed. Without client support the answer is 'unsupported' and the stage decides.
 */
export function confirmWithUser(core: GatewayCore, signal: Cancellation): (message: string) => Promise<Confirmation> {
  return async (message) => {
    if (!core.server.getClientCapabilities()?.elicitation) return 'unsupported';
    const timeout = core.governance.confirmTimeoutMs();
    try {
      const result = await core.server.elicitInput(
        {
          message,
          requestedSchema: {
            type: 'object',
            properties: { confirm: { type: 'boolean', title: 'Allow this call?', description: message } },
            required: ['confirm'],
          },
        },
        { signal: abortSignalOf(signal), timeout },
      );
      if (result.action === 'accept') return result.content?.['confirm'] === false ? 'decline' : 'accept';
      return result.action === 'decline' ? 'decline' : 'cancel';
    } catch (error) {
      const code = (error as { code?: number }).code;
      return code === -32001 ? 'timeout' : 'cancel';
    }
  };
}
