import type { ServerCapabilities } from '@modelcontextprotocol/sdk/types.js';
import type { Downstream } from './downstream.js';
import type { GatewayMode } from './router.js';

/**
 * What rea's initialize answer takes from the servers behind it, once they are up (or the startup
 * budget is spent): their instructions, and in wrap mode their capabilities.
 */
export function initializeAnswer(mode: GatewayMode, downstreams: readonly Downstream[]): { capabilities?: ServerCapabilities; instructions?: string } {
  const ready = downstreams.filter((d) => d.state === 'ready');
  if (mode === 'wrap') {
    const only = ready[0];
    // A server not up within the startup budget is unknown yet: rea's full set stands for it.
    if (!only) return {};
    const instructions = only.catalog.instructions;
    return { capabilities: wrapCapabilities(only.catalog.capabilities), ...(instructions ? { instructions } : {}) };
  }
  const instructions = combinedInstructions(ready.flatMap((d) => (d.catalog.instructions ? [{ server: d.name, text: d.catalog.instructions }] : [])));
  return instructions === undefined ? {} : { instructions };
}

/**
 * What rea declares in wrap mode: what the wrapped server declares, so a client that reads the
 * capabilities sees the server it configured (a task-augmented call to a server without tasks is
 * then never attempted). Tools are always declared (rea's health tool), and every list rea
 * declares is announced by rea itself when the server restarts or an operator accepts a change,
 * so `listChanged` is kept for those. Anything rea answers but the server lacks is left out.
 */
export function wrapCapabilities(server: ServerCapabilities): ServerCapabilities {
  const caps: ServerCapabilities = { tools: { listChanged: true } };
  if (server.resources) caps.resources = { listChanged: true, ...(server.resources.subscribe === true ? { subscribe: true } : {}) };
  if (server.prompts) caps.prompts = { listChanged: true };
  if (server.logging) caps.logging = {};
  if (server.completions) caps.completions = {};
  if (server.tasks) caps.tasks = server.tasks;
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
