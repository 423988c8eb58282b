import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateTaskResultSchema, GetTaskPayloadResultSchema, GetTaskResultSchema, ListTasksResultSchema } from '@modelcontextprotocol/sdk/types.js';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { connectDirect, startGateway, type RunningGateway } from '../helpers/gateway.js';
import { REPO_ROOT, tempRepo, type TempRepo } from '../helpers/temp-repo.js';
import { callRecords } from '../helpers/audit-log.js';

const EVERYTHING = join(REPO_ROOT, 'node_modules', '.bin', 'mcp-server-everything');

async function runTask(client: Client, name: string): Promise<{ created: unknown; status: string; payload: Record<string, unknown> }> {
  const created = await client.request(
    { method: 'tools/call', params: { name, arguments: { topic: 'governance' }, task: { ttl: 60_000 } } },
    CreateTaskResultSchema,
  );
  const taskId = created.task.taskId;
  let status = created.task.status;
  // Wait on the task's own status, not on time: it must finish, and finish well.
  await expect
    .poll(async () => (status = (await client.request({ method: 'tasks/get', params: { taskId } }, GetTaskResultSchema)).status), { timeout: 25_000, interval: 20 })
    .not.toBe('working');
  const payload = await client.request({ method: 'tasks/result', params: { taskId } }, GetTaskPayloadResultSchema);
  return { created, status, payload };
}

describe('task-augmented calls (protocol 2025-11-25)', () => {
  let repo: TempRepo;
  let gw: RunningGateway;
  let direct: Client;
  beforeAll(async () => {
    repo = tempRepo({
      policy: 'version: "1"\nautonomy_level: L3\nmax_autonomy_level: L3\n',
      servers: [{ name: 'everything', command: EVERYTHING }],
    });
    gw = await startGateway({ root: repo.root });
    direct = await connectDirect(EVERYTHING, []);
  });
  afterAll(async () => {
    await gw?.close();
    await direct?.close();
    repo?.cleanup();
  });

  it('passes a task-augmented call through the chain and routes tasks/get and tasks/result to its server', async () => {
    const [through, straight] = await Promise.all([
      runTask(gw.client, 'everything__simulate-research-query'),
      runTask(direct, 'simulate-research-query'),
    ]);
    expect(straight.status).toBe('completed');
    expect(through.status).toBe('completed');
    expect(Object.keys(through.payload).sort()).toEqual(Object.keys(straight.payload).sort());
    const listed = await gw.client.request({ method: 'tasks/list', params: {} }, ListTasksResultSchema);
    expect(listed.tasks.length).toBeGreaterThan(0);
    expect(callRecords(repo.root).find((r) => r.tool_name === 'simulate-research-query')).toMatchObject({ status: 'allowed' });
  });

  it('answers tasks/get for an unknown task id with a clear error', async () => {
    await expect(gw.client.request({ method: 'tasks/get', params: { taskId: 'nope' } }, GetTaskResultSchema)).rejects.toThrow('Unknown task "nope"');
  });
});
