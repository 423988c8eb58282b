import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { ServerNotification, ServerRequest } from '@modelcontextprotocol/sdk/types.js';

export type RequestExtra = RequestHandlerExtra<ServerRequest, ServerNotification>;

/**
 * When the agent asked for progress (`_meta.progressToken`), relay the downstream's progress
 * notifications back under the agent's own token (MCP spec, utilities/progress).
 */
export function progressRelay(extra: RequestExtra, scrub: <T>(value: T) => T = (v) => v): ((progress: Record<string, unknown>) => void) | undefined {
  const token = extra._meta?.progressToken;
  if (token === undefined) return undefined;
  return (progress) => {
    void extra
      .sendNotification({ method: 'notifications/progress', params: { ...scrub(progress), progressToken: token } } as ServerNotification)
      .catch(() => {
        // The agent went away; the call's own outcome reports that.
      });
  };
}
