import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { GetPromptRequestSchema, ListPromptsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { ReaError } from '../../errors.js';
import type { GatewayCore } from './core.js';
import { newRequestContext, withMeta } from './request-context.js';
import { toWireError } from './to-wire-error.js';
import { answerFrom } from './answer.js';
import { byId, wrappedPage } from './wrapped-page.js';

/** Prompts are namespaced like tools: `<server>__<prompt>` (unchanged in wrap mode). */
export function registerPromptsSurface(server: Server, core: GatewayCore): void {
  server.setRequestHandler(ListPromptsRequestSchema, async (request, extra) => {
    await core.ready;
    if (core.router.mode === 'wrap') {
      const visible = [...core.downstreams.values()].flatMap((d) => d.catalog.prompts.filter((p) => core.governance.isItemVisible(d.name, 'prompt', String(p['name']))));
      return wrappedPage(core, 'prompts/list', (request.params ?? {}) as Record<string, unknown>, extra.signal, byId(visible, 'name'));
    }
    const prompts: Record<string, unknown>[] = [];
    for (const d of core.downstreams.values()) {
      if (d.state !== 'ready') continue;
      for (const prompt of d.catalog.prompts) {
        if (!core.governance.isItemVisible(d.name, 'prompt', String(prompt['name']))) continue;
        prompts.push({ ...prompt, name: core.router.expose(d.name, String(prompt['name'])) });
      }
    }
    return { prompts };
  });
  server.setRequestHandler(GetPromptRequestSchema, (request, extra) =>
    core.inFlight.track(async () => {
      await core.ready;
      const params = request.params as Record<string, unknown>;
      const exposedName = String(params['name']);
      const route = core.router.findPrompt(exposedName);
      if (!route) {
        // Recorded like an unknown tool: a request nobody owns still gets its one outcome record.
        const error = new ReaError('UNKNOWN_PROMPT', `Unknown prompt "${exposedName}"`);
        const { serverName } = core.router.resolveName(exposedName);
        await core.recordRefusal({ surface: 'prompt', server: serverName, name: exposedName, code: 'unknown_prompt', reason: error.message, params });
        throw toWireError(error);
      }
      const { downstream, name } = route;
      const ctx = newRequestContext(core, {
        surface: 'prompt',
        server: downstream.name,
        serverCwd: downstream.spec.cwd ?? core.root,
        name,
        exposedName,
        params,
        args: (params['arguments'] ?? {}) as Record<string, unknown>,
        tier: 'read',
        signal: extra.signal,
        forward: (args, signal, meta) => downstream.request('prompts/get', withMeta({ ...params, name, arguments: args }, meta), signal),
        requestId: extra.requestId,
      });
      await core.pipelines.prompt(ctx);
      return answerFrom(ctx, 'error', downstream);
    }),
  );
}
