import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  CompleteRequestSchema,
  RootsListChangedNotificationSchema,
  SetLevelRequestSchema,
} from '@modelcontextprotocol/sdk/types.js';
import { ReaError } from '../errors.js';
import type { GatewayCore } from './core.js';
import { toWireError } from './to-wire-error.js';
import { refuseUnderHalt } from './halt-guard.js';

/** completion/complete, logging/setLevel and the client's roots notifications. */
export function registerMiscSurface(server: Server, core: GatewayCore): void {
  server.setRequestHandler(CompleteRequestSchema, async (request, extra) => {
    await core.ready;
    const params = request.params as Record<string, unknown> & { ref: Record<string, unknown> };
    const ref = params.ref;
    let downstream;
    let forwardedRef = ref;
    if (ref['type'] === 'ref/prompt') {
      const route = core.router.findPrompt(String(ref['name']));
      if (!route) throw toWireError(new ReaError('UNKNOWN_PROMPT', `Unknown prompt "${String(ref['name'])}"`));
      downstream = route.downstream;
      forwardedRef = { ...ref, name: route.name };
    } else {
      downstream = core.router.findResourceOwner(String(ref['uri']));
      if (!downstream) throw toWireError(new ReaError('UNKNOWN_RESOURCE', `Unknown resource template "${String(ref['uri'])}"`));
    }
    if (!downstream.catalog.capabilities.completions) return { completion: { values: [], hasMore: false } };
    await refuseUnderHalt(core, ref['type'] === 'ref/prompt' ? 'prompt' : 'resource', downstream.name, 'completion/complete', params);
    try {
      return core.scrub(await downstream.request('completion/complete', { ...params, ref: forwardedRef }, extra.signal));
    } catch (error) {
      throw toWireError(error, downstream);
    }
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
