import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { ResourceUpdatedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { connectDirect, startGateway, type RunningGateway } from '../helpers/gateway.js';
import { REPO_ROOT, tempRepo, type TempRepo } from '../helpers/temp-repo.js';
import { callRecords, readAudit } from '../helpers/audit-log.js';

const BIN = (name: string) => join(REPO_ROOT, 'node_modules', '.bin', name);

/** Follow every page of a list through `nextCursor`. */
async function listAllResources(client: Client): Promise<unknown[]> {
  const all: unknown[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.listResources(cursor ? { cursor } : {});
    all.push(...page.resources);
    cursor = page.nextCursor;
  } while (cursor);
  return all;
}

const strip = (prefix: string) => <T extends { name: string }>(items: T[]) =>
  items.filter((i) => i.name !== '__rea__health').map((i) => ({ ...i, name: i.name.slice(prefix.length) }));

describe('official reference servers through the gateway', () => {
  let repo: TempRepo;
  let gw: RunningGateway;
  let everything: Client;
  let memory: Client;
  let files: string;

  beforeAll(async () => {
    repo = tempRepo({ policy: 'version: "1"\nautonomy_level: L1\nmax_autonomy_level: L2\nblocked_paths: ["secrets/**"]\n' });
    files = repo.root;
    repo.write('notes.txt', 'hello from a file\n');
    repo.write('secrets/key.txt', 'do not read\n');
    repo.write(
      '.rea/registry.yaml',
      `version: "1"\nservers:\n` +
        `  - name: everything\n    command: ${JSON.stringify(BIN('mcp-server-everything'))}\n` +
        `  - name: memory\n    command: ${JSON.stringify(BIN('mcp-server-memory'))}\n    env: { MEMORY_FILE_PATH: ${JSON.stringify(join(repo.root, 'memory.jsonl'))} }\n` +
        `  - name: fs\n    command: ${JSON.stringify(BIN('mcp-server-filesystem'))}\n    args: [${JSON.stringify(files)}]\n`,
    );
    gw = await startGateway({ root: repo.root });
    everything = await connectDirect(BIN('mcp-server-everything'), []);
    memory = await connectDirect(BIN('mcp-server-memory'), []);
  });
  afterAll(async () => {
    await gw?.close();
    await everything?.close();
    await memory?.close();
    repo?.cleanup();
  });

  it('shows server-everything tools, prompts and resources exactly as the server does (names aside)', async () => {
    const tools = (await gw.client.listTools()).tools.filter((t) => t.name.startsWith('everything__'));
    expect(strip('everything__')(tools)).toEqual((await everything.listTools()).tools);
    const prompts = (await gw.client.listPrompts()).prompts.filter((p) => p.name.startsWith('everything__'));
    expect(strip('everything__')(prompts)).toEqual((await everything.listPrompts()).prompts);
    const through = (await listAllResources(gw.client)).filter((r) => !String((r as { uri: string }).uri).startsWith('memory'));
    expect(through).toEqual(await listAllResources(everything));
    expect((await gw.client.listResourceTemplates()).resourceTemplates).toEqual((await everything.listResourceTemplates()).resourceTemplates);
  });

  it('returns server-everything results unchanged: text, structured content and images', async () => {
    for (const [name, args] of [
      ['echo', { message: 'hi' }],
      ['get-sum', { a: 2, b: 3 }],
      ['get-structured-content', { location: 'New York' }],
      ['get-tiny-image', {}],
    ] as const) {
      expect(await gw.client.callTool({ name: `everything__${name}`, arguments: args })).toEqual(await everything.callTool({ name, arguments: args }));
    }
  });

  it('reads server-everything resources and prompts through the gateway', async () => {
    const [first] = (await everything.listResources()).resources;
    expect(await gw.client.readResource({ uri: first!.uri })).toEqual(await everything.readResource({ uri: first!.uri }));
    expect(await gw.client.getPrompt({ name: 'everything__simple-prompt' })).toEqual(await everything.getPrompt({ name: 'simple-prompt' }));
  });

  it('forwards resource subscriptions and their update notifications', async () => {
    const updates: string[] = [];
    gw.client.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => void updates.push(n.params.uri));
    const [first] = (await gw.client.listResources()).resources;
    await gw.client.subscribeResource({ uri: first!.uri });
    await gw.client.callTool({ name: 'everything__toggle-subscriber-updates', arguments: {} });
    await expect.poll(() => updates, { timeout: 15_000 }).toContain(first!.uri);
    await gw.client.callTool({ name: 'everything__toggle-subscriber-updates', arguments: {} });
    await gw.client.unsubscribeResource({ uri: first!.uri });
    // A subscription is governed like a read: it has its own record (THREAT_MODEL.md gap table).
    expect(readAudit(repo.root).find((r) => r['surface'] === 'resource' && r.tool_name === first!.uri && r['phase'] === 'outcome')).toMatchObject({ status: 'allowed' });
  });

  it('lets server-memory write at L1 with an intent record first, and denies its destructive tool', async () => {
    const created = await gw.client.callTool({
      name: 'memory__create_entities',
      arguments: { entities: [{ name: 'rea', entityType: 'project', observations: ['governs agents'] }] },
    });
    expect(created.isError).toBeFalsy();
    const graph = await gw.client.callTool({ name: 'memory__read_graph', arguments: {} });
    expect(JSON.stringify(graph.content)).toContain('governs agents');
    const denied = await gw.client.callTool({ name: 'memory__delete_entities', arguments: { entityNames: ['rea'] } });
    expect(denied).toMatchObject({ isError: true, content: [{ type: 'text', text: expect.stringMatching(/^Denied by rea: /) }] });

    const records = readAudit(repo.root).filter((r) => r.server_name === 'memory');
    const intent = records.find((r) => r['phase'] === 'intent' && r.tool_name === 'create_entities');
    const outcome = records.find((r) => r['phase'] !== 'intent' && r.tool_name === 'create_entities');
    expect(intent).toMatchObject({ tier: 'write', status: 'allowed' });
    expect(outcome).toMatchObject({ tier: 'write', status: 'allowed', call_id: intent?.['call_id'] });
    expect(records.indexOf(intent!)).toBeLessThan(records.indexOf(outcome!));
    expect(records.find((r) => r.tool_name === 'delete_entities')).toMatchObject({ tier: 'destructive', status: 'denied', deny_code: 'tier' });
  });

  it('lets server-filesystem read an ordinary file and blocks reads of blocked paths and .rea/', async () => {
    const ok = await gw.client.callTool({ name: 'fs__read_text_file', arguments: { path: join(files, 'notes.txt') } });
    expect(JSON.stringify(ok.content)).toContain('hello from a file');
    for (const path of [join(files, 'secrets', 'key.txt'), join(files, '.rea', 'policy.yaml'), `${files}/./secrets/../secrets/key.txt`]) {
      const denied = await gw.client.callTool({ name: 'fs__read_text_file', arguments: { path } });
      expect(denied).toMatchObject({ isError: true, content: [{ text: 'Denied by rea: blocked path' }] });
    }
    const writes = await gw.client.callTool({ name: 'fs__write_file', arguments: { path: join(files, 'out.txt'), content: 'x' } });
    expect(writes.isError).toBe(true);
    expect(existsSync(join(files, 'out.txt'))).toBe(false);
    expect(callRecords(repo.root).filter((r) => r.server_name === 'fs' && r.status === 'denied').map((r) => r['deny_code'])).toEqual([
      'blocked_path', 'blocked_path', 'blocked_path', 'tier',
    ]);
  });

  it('keeps a chain that verifies after all of the above', async () => {
    const { spawnSync } = await import('node:child_process');
    const result = spawnSync(process.execPath, [join(REPO_ROOT, 'dist', 'cli', 'index.js'), '--dir', repo.root, 'audit', 'verify'], { encoding: 'utf8' });
    expect(result.stdout).toMatch(/clean/);
    expect(result.status).toBe(0);
  });
});
