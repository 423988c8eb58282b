import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  ListResourcesRequestSchema,
  ListResourceTemplatesRequestSchema,
  ReadResourceRequestSchema,
  SubscribeRequestSchema,
  UnsubscribeRequestSchema,
} from '@modelcontextprotocol/sdk/types.js';
import { ReaError } from '../errors.js';
import type { GatewayCore } from './core.js';
import type { Downstream } from './downstream.js';
import { progressRelay } from './progress-relay.js';
import { newRequestContext, withMeta } from './request-context.js';
import { toWireError } from './to-wire-error.js';
import { answerFrom } from './answer.js';
import { wrappedPage } from './wrapped-page.js';
import { refuseUnderHalt } from './halt-guard.js';

/** Resources keep their URIs (they are already global names) and are routed to the server that owns them. */
export function registerResourcesSurface(server: Server, core: GatewayCore): void {
  server.setRequestHandler(ListResourcesRequestSchema, async (request, extra) => {
    await core.ready;
    const resources = collect(core, (d) => d.catalog.resources);
    if (core.router.mode !== 'wrap') return { resources };
    return wrappedPage(core, 'resources/list', (request.params ?? {}) as Record<string, unknown>, extra.signal, new Set(resources.map((r) => r['uri'])));
  });
  server.setRequestHandler(ListResourceTemplatesRequestSchema, async (request, extra) => {
    await core.ready;
    const resourceTemplates = collect(core, (d) => d.catalog.resourceTemplates);
    if (core.router.mode !== 'wrap') return { resourceTemplates };
    const visible = new Set(resourceTemplates.map((t) => t['uriTemplate']));
    return wrappedPage(core, 'resources/templates/list', (request.params ?? {}) as Record<string, unknown>, extra.signal, visible);
  });
  server.setRequestHandler(ReadResourceRequestSchema, (request, extra) =>
    core.inFlight.track(async () => {
      await core.ready;
      const params = request.params as Record<string, unknown>;
      const uri = String(params['uri']);
      const downstream = owner(core, uri);
      const onprogress = progressRelay(extra, core.scrub);
      const ctx = newRequestContext(core, {
        surface: 'resource',
        server: downstream.name,
        serverCwd: downstream.spec.cwd ?? core.root,
        name: uri,
        exposedName: uri,
        params,
        args: { uri },
        tier: 'read',
        signal: extra.signal,
        forward: (_args, signal, meta) => downstream.request('resources/read', withMeta(params, meta), signal, onprogress),
        requestId: extra.requestId,
      });
      await core.runChain(ctx);
      // resources/read has no isError field: a denial is a protocol error carrying the same stable text.
      return answerFrom(ctx, 'error', downstream);
    }),
  );
  for (const [schema, method] of [
    [SubscribeRequestSchema, 'resources/subscribe'],
    [UnsubscribeRequestSchema, 'resources/unsubscribe'],
  ] as const) {
    server.setRequestHandler(schema, async (request, extra) => {
      await core.ready;
      const downstream = owner(core, request.params.uri);
      if (method === 'resources/subscribe') await refuseUnderHalt(core, 'resource', downstream.name, request.params.uri, request.params as Record<string, unknown>);
      try {
        return await downstream.request(method, request.params as Record<string, unknown>, extra.signal);
      } catch (error) {
        throw toWireError(error, downstream);
      }
    });
  }
}

function collect(core: GatewayCore, pick: (d: Downstream) => Record<string, unknown>[]): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const d of core.downstreams.values()) if (d.state === 'ready') out.push(...pick(d));
  return out;
}

function owner(core: GatewayCore, uri: string): Downstream {
  const downstream = core.router.findResourceOwner(uri);
  if (!downstream) throw toWireError(new ReaError('UNKNOWN_RESOURCE', `Unknown resource "${uri}": no connected server lists it or a matching template`));
  return downstream;
}
