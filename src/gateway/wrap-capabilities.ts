import type { ServerCapabilities } from '@modelcontextprotocol/sdk/types.js';

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
