import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  CancelTaskRequestSchema,
  ErrorCode,
  GetTaskPayloadRequestSchema,
  GetTaskRequestSchema,
  ListTasksRequestSchema,
} from '@modelcontextprotocol/sdk/types.js';
import type { GatewayCore } from './core.js';
import type { Downstream } from '../supervision/downstream.js';
import { toWireError, WireError } from './to-wire-error.js';
import { newRequestContext } from './request-context.js';
import { answerFrom } from './answer.js';

/** Bound on remembered task owners: task ids come from downstreams, so the map must not grow forever. */
const MAX_TASKS = 10_000;

/** Who owns a task: its server, and the tool (as the server names it) whose call made it. */
export interface TaskOwner {
  readonly downstream: Downstream;
  readonly tool: string;
  readonly exposedName: string;
}

/**
 * Task-augmented calls (MCP 2025-11-25, experimental in the SDK): the call itself goes through the
 * governed chain like any tools/call; the task id it returns is remembered so tasks/get, tasks/result
 * and tasks/cancel reach the server that owns the task.
 */
export class TaskOwners {
  private readonly owners = new Map<string, TaskOwner>();

  remember(result: Record<string, unknown>, owner: TaskOwner): void {
    const task = result['task'] as { taskId?: unknown } | undefined;
    if (typeof task?.taskId !== 'string') return;
    if (this.owners.size >= MAX_TASKS) this.owners.delete(this.owners.keys().next().value as string);
    this.owners.set(task.taskId, owner);
  }

  ownerOf(taskId: string): TaskOwner {
    const owner = this.owners.get(taskId);
    if (!owner) throw new WireError(ErrorCode.InvalidParams, `Unknown task "${taskId}"`);
    return owner;
  }
}

export function registerTasksSurface(server: Server, core: GatewayCore, owners: TaskOwners): void {
  for (const [schema, method] of [
    [GetTaskRequestSchema, 'tasks/get'],
    [CancelTaskRequestSchema, 'tasks/cancel'],
  ] as const) {
    server.setRequestHandler(schema, async (request, extra) => {
      const { downstream } = owners.ownerOf(request.params.taskId);
      try {
        // A task's status: redacted like a notification; status and cancel stay open under HALT.
        return core.scrub(await downstream.request(method, request.params as Record<string, unknown>, extra.signal));
      } catch (error) {
        throw toWireError(error, downstream);
      }
    });
  }
  // A task's result is a tool result delivered late: recorded, stopped by HALT, redacted, scanned
  // and capped like one (THREAT_MODEL.md T6, T13).
  server.setRequestHandler(GetTaskPayloadRequestSchema, (request, extra) =>
    core.inFlight.track(async () => {
      const { downstream, tool, exposedName } = owners.ownerOf(request.params.taskId);
      const params = request.params as Record<string, unknown>;
      const ctx = newRequestContext(core, {
        surface: 'tool',
        server: downstream.name,
        serverCwd: downstream.spec.cwd ?? core.root,
        name: tool,
        exposedName,
        params,
        args: { taskId: params['taskId'] },
        tier: 'read',
        signal: extra.signal,
        forward: (_args, signal) => downstream.request('tasks/result', params, signal),
      });
      await core.pipelines.passthrough(ctx);
      return answerFrom(ctx, 'result', downstream);
    }),
  );
  server.setRequestHandler(ListTasksRequestSchema, async (_request, extra) => {
    const capable = [...core.downstreams.values()].filter((d) => d.state === 'ready' && d.catalog.capabilities.tasks?.list);
    const pages = await Promise.allSettled(capable.map((d) => d.request('tasks/list', {}, extra.signal)));
    // Status messages are a downstream's text, like tasks/get's (review finding 6).
    return core.scrub({ tasks: pages.flatMap((p) => (p.status === 'fulfilled' && Array.isArray(p.value['tasks']) ? p.value['tasks'] : [])) });
  });
}
