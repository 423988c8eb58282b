import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  ListResourcesRequestSchema,
  ListResourceTemplatesRequestSchema,
  ReadResourceRequestSchema,
  SubscribeRequestSchema,
  UnsubscribeRequestSchema,
} from '@modelcontextprotocol/sdk/types.js';
import { ReaError } from '../../errors.js';
import type { GatewayCore } from './core.js';
import type { Downstream } from '../supervision/downstream.js';
import { progressRelay } from '../transport/progress-relay.js';
import { newRequestContext, withMeta } from './request-context.js';
import { toWireError } from './to-wire-error.js';
import { answerFrom } from './answer.js';
import { byId, wrappedPage } from './wrapped-page.js';

/** Resources keep their URIs (they are already global names) and are routed to the server that owns them. */
export function registerResourcesSurface(server: Server, core: GatewayCore): void {
  server.setRequestHandler(ListResourcesRequestSchema, async (request, extra) => {
    await core.ready;
    const resources = collect(core, (d) => d.catalog.resources);
    if (core.router.mode !== 'wrap') return { resources };
    return wrappedPage(core, 'resources/list', (request.params ?? {}) as Record<string, unknown>, extra.signal, byId(resources, 'uri'));
  });
  server.setRequestHandler(ListResourceTemplatesRequestSchema, async (request, extra) => {
    await core.ready;
    const resourceTemplates = collect(core, (d) => d.catalog.resourceTemplates);
    if (core.router.mode !== 'wrap') return { resourceTemplates };
    return wrappedPage(core, 'resources/templates/list', (request.params ?? {}) as Record<string, unknown>, extra.signal, byId(resourceTemplates, 'uriTemplate'));
  });
  server.setRequestHandler(ReadResourceRequestSchema, (request, extra) =>
    core.inFlight.track(async () => {
      await core.ready;
      const params = request.params as Record<string, unknown>;
      const uri = String(params['uri']);
      const downstream = await ownerOrRefuse(core, uri, params);
      const onprogress = progressRelay(extra, core.scrub);
      const ctx = newRequestContext(core, {
        ...uriRequest(core, downstream, uri, params, extra.signal),
        forward: (_args, signal, meta) => downstream.request('resources/read', withMeta(params, meta), signal, onprogress),
        requestId: extra.requestId,
      });
      await core.pipelines.resource(ctx);
      // resources/read has no isError field: a denial is a protocol error carrying the same stable text.
      return answerFrom(ctx, 'error', downstream);
    }),
  );
  // A subscription makes the server push updates about a URI: recorded, stopped by HALT and checked
  // for blocked paths like a read. Ending one is always allowed.
  server.setRequestHandler(SubscribeRequestSchema, (request, extra) =>
    core.inFlight.track(async () => {
      await core.ready;
      const params = request.params as Record<string, unknown>;
      const uri = String(params['uri']);
      const downstream = await ownerOrRefuse(core, uri, params);
      const ctx = newRequestContext(core, {
        ...uriRequest(core, downstream, uri, params, extra.signal),
        forward: (_args, signal) => downstream.request('resources/subscribe', params, signal),
      });
      await core.pipelines.passthrough(ctx);
      return answerFrom(ctx, 'error', downstream);
    }),
  );
  server.setRequestHandler(UnsubscribeRequestSchema, async (request, extra) => {
    await core.ready;
    const downstream = owner(core, request.params.uri);
    try {
      return await downstream.request('resources/unsubscribe', request.params as Record<string, unknown>, extra.signal);
    } catch (error) {
      throw toWireError(error, downstream);
    }
  });
}

/** What the agent may see of every ready server's resources: none of a server that is allowed nothing. */
function collect(core: GatewayCore, pick: (d: Downstream) => Record<string, unknown>[]): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const d of core.downstreams.values()) if (d.state === 'ready' && core.governance.isItemVisible(d.name, 'other', d.name)) out.push(...pick(d));
  return out;
}

function owner(core: GatewayCore, uri: string): Downstream {
  const downstream = core.router.findResourceOwner(uri);
  if (!downstream) throw toWireError(unknownResource(uri));
  return downstream;
}

/** The owner of a URI the agent wants read or watched; one it names that nobody owns is recorded as refused. */
async function ownerOrRefuse(core: GatewayCore, uri: string, params: Record<string, unknown>): Promise<Downstream> {
  const downstream = core.router.findResourceOwner(uri);
  if (downstream) return downstream;
  const error = unknownResource(uri);
  await core.recordRefusal({ surface: 'resource', server: '', name: uri, code: 'unknown_resource', reason: error.message, params });
  throw toWireError(error);
}

function unknownResource(uri: string): ReaError {
  return new ReaError('UNKNOWN_RESOURCE', `Unknown resource "${uri}": no connected server lists it or a matching template`);
}

/** What a read and a subscription of one URI share: a read-tier request named by its URI. */
function uriRequest(core: GatewayCore, downstream: Downstream, uri: string, params: Record<string, unknown>, signal: AbortSignal) {
  return {
    surface: 'resource' as const,
    server: downstream.name,
    serverCwd: downstream.spec.cwd ?? core.root,
    name: uri,
    exposedName: uri,
    params,
    args: { uri },
    tier: 'read' as const,
    signal,
  };
}
