import { Protocol } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { z } from 'zod';

/**
 * tools/call checked only as far as routing needs (a string name, an object of arguments): the
 * SDK Server's own wrapper re-validates the whole request and the downstream's result on every
 * call, which costs more than the rest of the chain, and a transparent proxy must pass results on
 * as the server sent them anyway (the agent's client validates what it receives).
 */
export const CallToolRoutingSchema = z.object({
  method: z.literal('tools/call'),
  params: z.looseObject({
    name: z.string(),
    arguments: z.record(z.string(), z.unknown()).optional(),
  }),
});

type RawHandler = (request: z.infer<typeof CallToolRoutingSchema>, extra: never) => Promise<Record<string, unknown>>;

export function setRawToolsCallHandler(server: Server, handler: RawHandler): void {
  (Protocol.prototype.setRequestHandler as (this: Server, schema: unknown, handler: unknown) => void).call(server, CallToolRoutingSchema, handler);
}
