import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import {
  CreateMessageRequestSchema,
  ElicitRequestSchema,
  ListRootsRequestSchema,
  LoggingMessageNotificationSchema,
  PromptListChangedNotificationSchema,
  ResourceListChangedNotificationSchema,
  ResourceUpdatedNotificationSchema,
  TaskStatusNotificationSchema,
  ToolListChangedNotificationSchema,
  type ClientCapabilities,
} from '@modelcontextprotocol/sdk/types.js';
import type { CatalogKind } from '../../registry/catalog.js';
import type { UpstreamBridge } from './upstream-bridge.js';
import type { NotificationBudget } from './notification-budget.js';

/**
 * What we declare to a downstream: only what the agent's client can answer (sampling, elicitation,
 * roots), so a downstream never asks for what nobody can give it.
 */
export function declaredCapabilities(upstream: ClientCapabilities): ClientCapabilities {
  const caps: ClientCapabilities = {};
  if (upstream.sampling) caps.sampling = upstream.sampling;
  if (upstream.elicitation) caps.elicitation = upstream.elicitation;
  if (upstream.roots) caps.roots = { listChanged: true };
  return caps;
}

/**
 * Wire a downstream's client: requests it makes of the agent go up through the bridge, its
 * notifications go up within the notification budget, and list_changed triggers a refresh.
 */
export function installClientHandlers(
  client: Client,
  server: string,
  bridge: UpstreamBridge,
  budget: NotificationBudget,
  refresh: (kind: CatalogKind) => void,
): void {
  const caps = bridge.clientCapabilities();
  const forward = (method: string) => (request: { params?: unknown }, extra: { signal: AbortSignal }) =>
    bridge.requestClient(server, method, (request.params ?? {}) as Record<string, unknown>, extra.signal);
  if (caps.sampling) client.setRequestHandler(CreateMessageRequestSchema, forward('sampling/createMessage') as never);
  if (caps.elicitation) client.setRequestHandler(ElicitRequestSchema, forward('elicitation/create') as never);
  if (caps.roots) client.setRequestHandler(ListRootsRequestSchema, forward('roots/list') as never);
  const relay = (n: { method: string; params?: unknown }) => {
    if (budget.take()) bridge.notifyClient(server, n.method, (n.params ?? {}) as Record<string, unknown>);
  };
  client.setNotificationHandler(LoggingMessageNotificationSchema, relay);
  client.setNotificationHandler(ResourceUpdatedNotificationSchema, relay);
  client.setNotificationHandler(TaskStatusNotificationSchema, relay);
  client.setNotificationHandler(ToolListChangedNotificationSchema, () => refresh('tools'));
  client.setNotificationHandler(PromptListChangedNotificationSchema, () => refresh('prompts'));
  client.setNotificationHandler(ResourceListChangedNotificationSchema, () => refresh('resources'));
}
