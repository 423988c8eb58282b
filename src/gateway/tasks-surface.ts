import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  CancelTaskRequestSchema,
  ErrorCode,
  GetTaskPayloadRequestSchema,
  GetTaskRequestSchema,
  ListTasksRequestSchema,
} from '@modelcontextprotocol/sdk/types.js';
import type { GatewayCore } from './core.js';
import type { Downstream } from './downstream.js';
import { toWireError, WireError } from './to-wire-error.js';
import { refuseUnderHalt } from './halt-guard.js';

/** Bound on remembered task owners: task ids come from downstreams, so the map must not grow forever. */
const MAX_TASKS = 10_000;

/**
 * Task-augmented calls (MCP 2025-11-25, experimental in the SDK): the call itself goes through the
 * governed chain like any tools/call; the task id it returns is remembered so tasks/get, tasks/result
 * and tasks/cancel reach the server that owns the task.
 */
export class TaskOwners {
  private readonly owners = new Map<string, Downstream>();

  remember(result: Record<string, unknown>, downstream: Downstream): void {
    const task = result['task'] as { taskId?: unknown } | undefined;
    if (typeof task?.taskId !== 'string') return;
    if (this.owners.size >= MAX_TASKS) this.owners.delete(this.owners.keys().next().value as string);
    this.owners.set(task.taskId, downstream);
  }

  ownerOf(taskId: string): Downstream {
    const owner = this.owners.get(taskId);
    if (!owner) throw new WireError(ErrorCode.InvalidParams, `Unknown task "${taskId}"`);
    return owner;
  }
}

export function registerTasksSurface(server: Server, core: GatewayCore, owners: TaskOwners): void {
  for (const [schema, method] of [
    [GetTaskRequestSchema, 'tasks/get'],
    [GetTaskPayloadRequestSchema, 'tasks/result'],
    [CancelTaskRequestSchema, 'tasks/cancel'],
  ] as const) {
    server.setRequestHandler(schema, async (request, extra) => {
      const downstream = owners.ownerOf(request.params.taskId);
      // A task's result is a tool result delivered late: HALT stops it; status and cancel stay open.
      if (method === 'tasks/result') await refuseUnderHalt(core, 'tool', downstream.name, method, request.params as Record<string, unknown>);
      try {
        // Task payloads reach the agent outside the chain: at least secrets never do.
        return core.scrub(await downstream.request(method, request.params as Record<string, unknown>, extra.signal));
      } catch (error) {
        throw toWireError(error, downstream);
      }
    });
  }
  server.setRequestHandler(ListTasksRequestSchema, async (_request, extra) => {
    const capable = [...core.downstreams.values()].filter((d) => d.state === 'ready' && d.catalog.capabilities.tasks?.list);
    const pages = await Promise.allSettled(capable.map((d) => d.request('tasks/list', {}, extra.signal)));
    return { tasks: pages.flatMap((p) => (p.status === 'fulfilled' && Array.isArray(p.value['tasks']) ? p.value['tasks'] : [])) };
  });
}
