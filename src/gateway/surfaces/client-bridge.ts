import type { ClientCapabilities } from '@modelcontextprotocol/sdk/types.js';
import { answerFrom } from './answer.js';
import type { GatewayCore } from './core.js';
import type { CatalogKind } from '../../registry/catalog.js';
import type { UpstreamBridge } from '../supervision/upstream-bridge.js';
import { newRequestContext } from './request-context.js';
import { AnyResultSchema, type AnyResult } from '../transport/wire-schemas.js';
import { abortSignalOf } from '../transport/cancellation.js';

/**
 * The downstreams' view of the agent's client: requests they make of it (sampling, elicitation,
 * roots) and notifications they send to it. Sampling and elicitation are governed like calls.
 */
export function createClientBridge(
  core: () => GatewayCore,
  onStateChange: () => void,
  review: UpstreamBridge['review'],
  clientInitialized: () => boolean,
): UpstreamBridge {
  return {
    review,

    clientCapabilities: (): ClientCapabilities => core().server.getClientCapabilities() ?? {},

    async requestClient(server, method, params, signal): Promise<AnyResult> {
      const gateway = core();
      if (method === 'roots/list') return gateway.server.request({ method, params } as never, AnyResultSchema, { signal });
      const downstream = gateway.downstreams.get(server)!;
      const ctx = newRequestContext(gateway, {
        surface: method === 'sampling/createMessage' ? 'sampling' : 'elicitation',
        server,
        serverCwd: downstream.spec.cwd ?? gateway.root,
        name: method,
        exposedName: method,
        params,
        args: params,
        tier: 'read',
        signal,
        forward: (args, forwardSignal) =>
          gateway.server.request({ method, params: args } as never, AnyResultSchema, { signal: abortSignalOf(forwardSignal), timeout: 600_000 }),
      });
      await gateway.pipelines[ctx.surface === 'sampling' ? 'sampling' : 'elicitation'](ctx);
      return answerFrom(ctx, 'error');
    },

    notifyClient(_server, method, params): void {
      const gateway = core();
      void gateway.server.notification({ method, params: gateway.scrub(params) } as never).catch(() => {
        // Client gone: shutdown follows from the closed transport.
      });
    },

    catalogChanged(_server, kinds: readonly CatalogKind[]): void {
      onStateChange();
      // Nothing but the initialize response may precede `notifications/initialized`; the client's
      // first list call after it sees every change made until then.
      if (!clientInitialized()) return;
      const server = core().server;
      for (const kind of kinds) {
        const send =
          kind === 'tools' ? server.sendToolListChanged() : kind === 'prompts' ? server.sendPromptListChanged() : server.sendResourceListChanged();
        void send.catch(() => {
          // Client gone.
        });
      }
    },

    stateChanged: () => onStateChange(),

    circuitChanged(server, from, to): void {
      core().record({ event: 'rea.circuit', server, detail: { from, to } });
    },

    restarted(server, attempt, reason): void {
      core().record({ event: 'rea.downstream.restart', server, status: 'error', detail: { attempt, reason } });
    },
  };
}
