import type { Implementation, ServerCapabilities } from '@modelcontextprotocol/sdk/types.js';
import type { Downstream } from '../supervision/downstream.js';
import type { GatewayMode } from '../surfaces/router.js';

export interface InitializeFields {
  capabilities?: ServerCapabilities;
  instructions?: string;
  serverInfo?: Implementation;
}

/**
 * What rea's initialize answer takes from the servers behind it, once they are up (or the startup
 * budget is spent): their instructions and the capabilities they declare, and in wrap mode the
 * server's own identity, so the answer is the server's. While any server is still unknown (not up
 * within the budget), rea's full set of capabilities and its own identity stand for it.
 */
export function initializeAnswer(mode: GatewayMode, downstreams: readonly Downstream[]): InitializeFields {
  const ready = downstreams.filter((d) => d.state === 'ready');
  const known = ready.length > 0 && ready.length === downstreams.length;
  const fields: InitializeFields = known ? { capabilities: offeredCapabilities(ready.map((d) => d.catalog.capabilities)) } : {};
  if (mode === 'wrap') {
    const only = ready[0]?.catalog;
    if (only?.serverInfo) fields.serverInfo = only.serverInfo as Implementation;
    if (only?.instructions) fields.instructions = only.instructions;
  } else {
    const instructions = combinedInstructions(ready.flatMap((d) => (d.catalog.instructions ? [{ server: d.name, text: d.catalog.instructions }] : [])));
    if (instructions) fields.instructions = instructions;
  }
  return fields;
}

/**
 * What rea declares: what its servers declare, so a client that reads the capabilities sees the
 * servers it configured (a task-augmented call is never attempted against servers without tasks).
 * Tools are always declared (rea's health tool), and rea announces every list it declares itself
 * (a server restarts, an operator accepts a change), so `listChanged` is kept. Of a server's tasks,
 * only what rea passes on: tasks/list, tasks/cancel, task-augmented tools/call.
 */
export function offeredCapabilities(servers: readonly ServerCapabilities[]): ServerCapabilities {
  const caps: ServerCapabilities = { tools: { listChanged: true } };
  const tasks: NonNullable<ServerCapabilities['tasks']> = {};
  for (const server of servers) {
    if (server.resources) caps.resources = { listChanged: true, ...(caps.resources?.subscribe || server.resources.subscribe === true ? { subscribe: true } : {}) };
    if (server.prompts) caps.prompts = { listChanged: true };
    if (server.logging) caps.logging = {};
    if (server.completions) caps.completions = {};
    if (server.tasks?.list) tasks.list = {};
    if (server.tasks?.cancel) tasks.cancel = {};
    if (server.tasks?.requests?.tools?.call) tasks.requests = { tools: { call: {} } };
  }
  if (Object.keys(tasks).length > 0) caps.tasks = tasks;
  return caps;
}

/**
 * Several servers: each one's instructions (already reviewed with its catalog) under its name, since
 * the model meets its tools and prompts under `<server>__` names. None when no server gave any.
 */
export function combinedInstructions(parts: readonly { server: string; text: string }[]): string | undefined {
  if (parts.length === 0) return undefined;
  // Tags, not headings: the servers' own text has headings of every level. A server's text cannot
  // open or close a tag of its own, so it cannot speak under another server's name.
  const sections = parts.map(({ server, text }) => `<server name="${server}">\n${text.trim().replace(/<(\/?server)\b/gi, '&lt;$1')}\n</server>`);
  return [`Instructions from the MCP servers behind this gateway. Their tools and prompts are named \`<server>__<name>\`.`, ...sections].join('\n\n');
}
