import { Protocol } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { z } from 'zod';

/**
 * tools/call as the SDK server sees it (task-augmented calls only; plain ones take the direct path):
 * params are checked by the handler itself, so a malformed call gets a clear Invalid params instead
 * of a dump of schema issues. The SDK Server's own wrapper would also re-validate the downstream's
 * result, and a transparent proxy passes results on as the server sent them.
 */
const CallToolRoutingSchema = z.object({
  method: z.literal('tools/call'),
  params: z.looseObject({}),
});

type RawHandler = (request: z.infer<typeof CallToolRoutingSchema>, extra: never) => Promise<Record<string, unknown>>;

export function setRawToolsCallHandler(server: Server, handler: RawHandler): void {
  (Protocol.prototype.setRequestHandler as (this: Server, schema: unknown, handler: unknown) => void).call(server, CallToolRoutingSchema, handler);
}
