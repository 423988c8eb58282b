import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  CompleteRequestSchema,
  RootsListChangedNotificationSchema,
  SetLevelRequestSchema,
} from '@modelcontextprotocol/sdk/types.js';
import { ReaError } from '../../errors.js';
import type { GatewayCore } from './core.js';
import { toWireError } from './to-wire-error.js';
import { newRequestContext } from './request-context.js';
import { answerFrom } from './answer.js';

/** completion/complete, logging/setLevel and the client's roots notifications. */
export function registerMiscSurface(server: Server, core: GatewayCore): void {
  server.setRequestHandler(CompleteRequestSchema, async (request, extra) => {
    await core.ready;
    const params = request.params as Record<string, unknown> & { ref: Record<string, unknown> };
    const ref = params.ref;
    let downstream;
    let forwardedRef = ref;
    // What nobody owns is refused before the pipeline, and recorded like an unknown tool.
    const refuse = async (code: 'unknown_prompt' | 'unknown_resource', error: ReaError, server: string, name: string): Promise<never> => {
      await core.recordRefusal({ surface: 'completion', server, name, code, reason: error.message, params });
      throw toWireError(error);
    };
    if (ref['type'] === 'ref/prompt') {
      const exposed = String(ref['name']);
      const route = core.router.findPrompt(exposed);
      if (!route) return refuse('unknown_prompt', new ReaError('UNKNOWN_PROMPT', `Unknown prompt "${exposed}"`), core.router.resolveName(exposed).serverName, exposed);
      downstream = route.downstream;
      forwardedRef = { ...ref, name: route.name };
    } else {
      const uri = String(ref['uri']);
      downstream = core.router.findResourceOwner(uri);
      if (!downstream) return refuse('unknown_resource', new ReaError('UNKNOWN_RESOURCE', `Unknown resource template "${uri}"`), '', uri);
    }
    if (!downstream.catalog.capabilities.completions) return { completion: { values: [], hasMore: false } };
    const target = downstream;
    const name = String(forwardedRef['name'] ?? forwardedRef['uri']);
    const ctx = newRequestContext(core, {
      surface: 'completion',
      server: target.name,
      serverCwd: target.spec.cwd ?? core.root,
      name,
      exposedName: String(ref['name'] ?? ref['uri']),
      params,
      // What the agent typed is what may name a blocked path (THREAT_MODEL.md T3).
      args: { argument: params['argument'], ...(params['context'] === undefined ? {} : { context: params['context'] }) },
      tier: 'read',
      signal: extra.signal,
      forward: (_args, signal) => target.request('completion/complete', { ...params, ref: forwardedRef }, signal),
    });
    await core.inFlight.track(() => core.pipelines.passthrough(ctx));
    return answerFrom(ctx, 'error', target);
  });

  server.setRequestHandler(SetLevelRequestSchema, async (request, extra) => {
    await core.ready;
    const targets = [...core.downstreams.values()].filter((d) => d.state === 'ready' && d.catalog.capabilities.logging);
    await Promise.allSettled(targets.map((d) => d.request('logging/setLevel', request.params as Record<string, unknown>, extra.signal)));
    return {};
  });

  server.setNotificationHandler(RootsListChangedNotificationSchema, () => {
    for (const d of core.downstreams.values()) if (d.state === 'ready') d.notify('notifications/roots/list_changed');
  });
}
