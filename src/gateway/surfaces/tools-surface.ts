import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { setRawToolsCallHandler } from './raw-handler.js';
import { ReaError } from '../../errors.js';
import type { GatewayCore } from './core.js';
import { confirmWithUser } from './confirm-with-user.js';
import { answerFrom } from './answer.js';
import { byId, wrappedPage } from './wrapped-page.js';
import { HEALTH_TOOL, HEALTH_TOOL_NAME, healthReport } from './health-tool.js';
import { progressRelay, type RequestExtra } from '../transport/progress-relay.js';
import { newRequestContext, withMeta } from './request-context.js';
import { exceedsDepth, MAX_ARGUMENT_DEPTH } from './nesting-depth.js';
import { toWireError } from './to-wire-error.js';
import type { TaskOwners } from './tasks-surface.js';
import type { DirectHandler } from '../transport/direct-requests.js';
import { isPlainObject } from '../../plain-object.js';
import type { Cancellation, ToolHints } from '../../chain/types.js';
import { cancellationOf } from '../transport/cancellation.js';

/** Registers tools/list and tools/call; returns tools/call for the direct path (direct-requests.ts). */
export function registerToolsSurface(server: Server, core: GatewayCore, tasks: TaskOwners): DirectHandler {
  server.setRequestHandler(ListToolsRequestSchema, async (request, extra) => {
    await core.ready;
    if (core.router.mode === 'wrap') {
      const params = (request.params ?? {}) as Record<string, unknown>;
      const page = await wrappedPage(core, 'tools/list', params, extra.signal, byId(listTools(core), 'name'));
      // Health joins the first page only, so a client following cursors sees it once.
      return params['cursor'] === undefined ? { ...page, tools: [...(page['tools'] as unknown[]), HEALTH_TOOL] } : page;
    }
    return { tools: [...listTools(core), HEALTH_TOOL] };
  });
  const handle = (params: Record<string, unknown>, extra: RequestExtra): Promise<Record<string, unknown>> =>
    core.inFlight.track(() => callTool(core, tasks, params, extra));
  // Task-augmented calls stay with the SDK server (it keeps the task bookkeeping); the rest go direct.
  setRawToolsCallHandler(server, (request, extra) => handle(request.params as Record<string, unknown>, extra as RequestExtra));
  return { accepts: (params) => params['task'] === undefined, handle };
}

/** What is wrong with a tools/call's params, in words for the agent; undefined when nothing is. */
function malformed(params: Record<string, unknown>): string | undefined {
  if (typeof params['name'] !== 'string') return 'Invalid params: tools/call needs `name`, a string';
  const args = params['arguments'];
  if (args !== undefined && !isPlainObject(args)) return `Invalid params: \`arguments\` of "${params['name']}" must be an object`;
  const meta = params['_meta'];
  if (meta === undefined) return undefined;
  if (!isPlainObject(meta)) return 'Invalid params: `_meta` must be an object';
  const token = meta['progressToken'];
  if (token !== undefined && typeof token !== 'string' && typeof token !== 'number') return 'Invalid params: `_meta.progressToken` must be a string or a number';
  return undefined;
}


function listTools(core: GatewayCore): Record<string, unknown>[] {
  const tools: Record<string, unknown>[] = [];
  for (const downstream of core.downstreams.values()) {
    if (downstream.state !== 'ready') continue;
    for (const tool of downstream.catalog.tools) {
      if (!core.governance.isToolVisible(downstream.name, tool)) continue;
      tools.push({ ...tool, name: core.router.expose(downstream.name, String(tool['name'])) });
    }
  }
  return tools;
}

async function callTool(core: GatewayCore, tasks: TaskOwners, params: Record<string, unknown>, extra: RequestExtra): Promise<Record<string, unknown>> {
  if (!core.inFlight.accepting) throw toWireError(new ReaError('SHUTTING_DOWN', 'rea is shutting down; the call was not started'));
  const exposedName = String(params['name']);
  const args = (params['arguments'] ?? {}) as Record<string, unknown>;
  const reason = malformed(params) ?? (exceedsDepth(args) ? `Arguments of "${exposedName}" nest deeper than ${MAX_ARGUMENT_DEPTH} levels` : undefined);
  if (reason !== undefined) {
    await core.recordRefusal({ surface: 'tool', server: core.router.resolveName(exposedName).serverName, name: exposedName, code: 'invalid_params', reason, params: { name: exposedName } });
    throw toWireError(new ReaError('INVALID_PARAMS', reason));
  }
  const cancellation = cancellationOf(extra);
  if (exposedName === HEALTH_TOOL_NAME) return callHealth(core, params, args, cancellation);
  await core.ready;

  const route = core.router.findTool(exposedName);
  if (!route || !core.governance.isToolVisible(route.downstream.name, route.tool)) {
    const error = unknownTool(core, exposedName);
    const { serverName, name, server } = core.router.resolveName(exposedName);
    const code = server?.withheld.has(name) ? 'withheld' : 'unknown_tool';
    await core.recordRefusal({ surface: 'tool', server: serverName, name, code, reason: error.message, params });
    throw toWireError(error);
  }
  const { downstream, name, tool } = route;

  if (params['task'] !== undefined && !downstream.catalog.capabilities.tasks?.requests?.tools?.call) {
    throw toWireError(new ReaError('INVALID_PARAMS', `Server "${downstream.name}" does not support task-augmented tools/call`));
  }
  const onprogress = progressRelay(extra, core.scrub);
  const ctx = newRequestContext(core, {
    surface: 'tool',
    server: downstream.name,
    serverCwd: downstream.spec.cwd ?? core.root,
    name,
    exposedName,
    params,
    args,
    hints: hintsOf(tool),
    signal: cancellation,
    confirm: confirmWithUser(core, cancellation),
    forward: (forwardArgs, signal, meta) =>
      downstream.request('tools/call', withMeta({ ...params, name, arguments: forwardArgs }, meta), signal, onprogress),
    requestId: extra.requestId,
  });
  await core.pipelines.tool(ctx);

  const answer = answerFrom(ctx, 'result', downstream);
  if (params['task'] !== undefined && ctx.outcome?.kind === 'result') tasks.remember(answer, { downstream, tool: name, exposedName });
  return answer;
}

/** A tool's governance hints, read once per catalog entry (the catalog is replaced, never edited, on a refresh). */
const hintsByTool = new WeakMap<object, ToolHints>();

function hintsOf(tool: Record<string, unknown>): ToolHints {
  let hints = hintsByTool.get(tool);
  if (hints === undefined) {
    const annotations = (tool['annotations'] ?? {}) as Record<string, unknown>;
    hints = {
      ...(typeof annotations['readOnlyHint'] === 'boolean' ? { readOnlyHint: annotations['readOnlyHint'] } : {}),
      ...(typeof annotations['destructiveHint'] === 'boolean' ? { destructiveHint: annotations['destructiveHint'] } : {}),
    };
    Object.freeze(hints);
    hintsByTool.set(tool, hints);
  }
  return hints;
}

async function callHealth(
  core: GatewayCore,
  params: Record<string, unknown>,
  args: Record<string, unknown>,
  signal: Cancellation,
): Promise<Record<string, unknown>> {
  const ctx = newRequestContext(core, {
    surface: 'tool',
    server: 'rea',
    serverCwd: core.root,
    name: 'health',
    exposedName: HEALTH_TOOL_NAME,
    params,
    args,
    tier: 'read',
    signal,
    forward: async () => healthReport(core),
  });
  await core.pipelines.internal(ctx);
  return answerFrom(ctx, 'result');
}

function unknownTool(core: GatewayCore, exposedName: string): ReaError {
  const { server, serverName, name } = core.router.resolveName(exposedName);
  if (core.router.mode === 'multi' && !server) {
    return new ReaError('UNKNOWN_TOOL', `Unknown tool "${exposedName}": no server named "${serverName || exposedName}" (tools are named <server>__<tool>)`);
  }
  const withheld = server?.withheld.get(name);
  if (withheld) return new ReaError('UNKNOWN_TOOL', `Tool "${exposedName}" is withheld by rea: ${withheld}`);
  if (server && server.state !== 'ready') {
    return new ReaError('UNKNOWN_TOOL', `Tool "${exposedName}" is unavailable: server "${server.name}" is ${server.state}`);
  }
  return new ReaError('UNKNOWN_TOOL', `Unknown tool "${name}" on server "${server?.name ?? serverName}"`);
}
