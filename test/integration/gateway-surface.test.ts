import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import {
  CreateMessageRequestSchema,
  ElicitRequestSchema,
  ListRootsRequestSchema,
  LoggingMessageNotificationSchema,
  ToolListChangedNotificationSchema,
} from '@modelcontextprotocol/sdk/types.js';
import { connectDirect, startGateway, type RunningGateway } from '../helpers/gateway.js';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { CLI, fixtureEntry, fixtureServer, REPO_ROOT, tempRepo, type TempRepo } from '../helpers/temp-repo.js';
import { readAudit } from '../helpers/audit-log.js';

const CAPS = { sampling: {}, elicitation: {}, roots: { listChanged: true } };
const L3 = 'version: "1"\nautonomy_level: L3\nmax_autonomy_level: L3\n';
const EVERYTHING = join(REPO_ROOT, 'node_modules', '.bin', 'mcp-server-everything');
function answerClientRequests(client: Client): void {
  client.setRequestHandler(ListRootsRequestSchema, async () => ({ roots: [{ uri: 'file:///work', name: 'work' }] }));
  client.setRequestHandler(CreateMessageRequestSchema, async () => ({
    role: 'assistant', content: { type: 'text', text: 'sampled' }, model: 'test-model',
  }));
  client.setRequestHandler(ElicitRequestSchema, async () => ({ action: 'accept', content: { name: 'Ada' } }));
}

/** Every field of a listed item, with the gateway's prefix taken off the name. */
function unprefixed<T extends { name: string }>(items: T[]): T[] {
  return items.filter((i) => i.name !== '__rea__health').map((i) => ({ ...i, name: i.name.replace(/^echo__/, '') }));
}

describe('gateway surface: what the client sees through rea equals what it sees directly (names aside)', () => {
  let repo: TempRepo;
  let gw: RunningGateway;
  let direct: Client;

  beforeAll(async () => {
    repo = tempRepo({ servers: [fixtureEntry('echo', 'echo')], policy: L3 });
    gw = await startGateway({ root: repo.root, capabilities: CAPS, configureClient: answerClientRequests });
    direct = await connectDirect(process.execPath, [fixtureServer('echo')], CAPS, answerClientRequests);
  });
  afterAll(async () => {
    await gw?.close();
    await direct?.close();
    repo?.cleanup();
  });

  it('answers the handshake as rea, declaring what the server declares, with list_changed for every list', () => {
    expect(gw.client.getServerVersion()).toMatchObject({ name: 'rea' });
    expect(Object.keys(gw.client.getServerCapabilities() ?? {}).sort()).toEqual(Object.keys(direct.getServerCapabilities() ?? {}).sort());
    expect(gw.client.getServerCapabilities()).toMatchObject({ tools: { listChanged: true }, prompts: { listChanged: true }, resources: { listChanged: true } });
    expect(gw.client.getServerCapabilities()?.resources?.subscribe).toEqual(direct.getServerCapabilities()?.resources?.subscribe);
  });

  it('lists tools with every field preserved and names prefixed <server>__<tool>', async () => {
    const through = await gw.client.listTools();
    const straight = await direct.listTools();
    expect(through.tools.map((t) => t.name)).toContain('echo__echo');
    expect(unprefixed(through.tools)).toEqual(straight.tools);
    expect(through.tools.find((t) => t.name === '__rea__health')?.annotations?.readOnlyHint).toBe(true);
  });

  it('returns tool results unchanged: content, structuredContent and _meta', async () => {
    const through = await gw.client.callTool({ name: 'echo__echo', arguments: { text: 'hi' } });
    const straight = await direct.callTool({ name: 'echo', arguments: { text: 'hi' } });
    expect(through).toEqual(straight);
    expect(through.structuredContent).toEqual({ echoed: 'hi' });
  });

  it('lists and gets prompts namespaced like tools', async () => {
    const through = await gw.client.listPrompts();
    const straight = await direct.listPrompts();
    expect(unprefixed(through.prompts)).toEqual(straight.prompts);
    const got = await gw.client.getPrompt({ name: 'echo__greet', arguments: { who: 'Ada' } });
    expect(got).toEqual(await direct.getPrompt({ name: 'greet', arguments: { who: 'Ada' } }));
  });

  it('lists resources and templates and reads by URI from the owning server', async () => {
    expect(await gw.client.listResources()).toEqual(await direct.listResources());
    expect(await gw.client.listResourceTemplates()).toEqual(await direct.listResourceTemplates());
    expect(await gw.client.readResource({ uri: 'echo://readme' })).toEqual(await direct.readResource({ uri: 'echo://readme' }));
    expect(await gw.client.readResource({ uri: 'echo://items/42' })).toEqual(await direct.readResource({ uri: 'echo://items/42' }));
  });

  it('routes completion/complete for resource templates and prompts', async () => {
    const ref = { type: 'ref/resource' as const, uri: 'echo://items/{id}' };
    const through = await gw.client.complete({ ref, argument: { name: 'id', value: 'a' } });
    expect(through).toEqual(await direct.complete({ ref, argument: { name: 'id', value: 'a' } }));
    expect(through.completion.values).toEqual(['alpha']);
  });

  it('answers ping and forwards logging/setLevel and logging notifications', async () => {
    await expect(gw.client.ping()).resolves.toEqual({});
    await gw.client.setLoggingLevel('debug');
    const messages: unknown[] = [];
    gw.client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => void messages.push(n.params));
    await gw.client.callTool({ name: 'echo__log', arguments: { message: 'note this' } });
    await expect.poll(() => messages).toContainEqual(expect.objectContaining({ data: 'note this', level: 'info' }));
  });

  it('relays progress notifications under the agent token and delivers cancellation downstream', async () => {
    const progress: number[] = [];
    const controller = new AbortController();
    const call = gw.client.callTool({ name: 'echo__slow', arguments: { steps: 2 } }, undefined, {
      signal: controller.signal,
      onprogress: (p) => {
        progress.push(p.progress);
        if (progress.length === 2) controller.abort('test cancels');
      },
    });
    await expect(call).rejects.toThrow();
    expect(progress).toEqual([1, 2]);
    await expect.poll(() => gw.stderr.some((l) => l.includes('slow: cancelled'))).toBe(true);
  });

  it('forwards sampling, elicitation and roots requests a downstream makes of the client', async () => {
    const through = await gw.client.callTool({ name: 'echo__ask_client', arguments: {} });
    const straight = await direct.callTool({ name: 'ask_client', arguments: {} });
    expect(through).toEqual(straight);
    const text = (through.content as { text: string }[])[0]!.text;
    expect(JSON.parse(text)).toMatchObject({ roots: { roots: [{ uri: 'file:///work' }] }, sample: { model: 'test-model' }, elicit: { action: 'accept' } });
    // The agent's answer to the sampling request is recorded with its size (every field: 'sampled', the model and the role).
    await expect.poll(() => readAudit(repo.root).find((r) => r.tool_name === 'sampling/createMessage' && r['phase'] === 'outcome')?.metadata).toMatchObject({ result_bytes: 30 });
  });

  // The agent hears of a change only when what it may see changed: not for a withheld addition.
  it('withholds a tool a downstream adds until an operator accepts it, then announces list_changed', async () => {
    let changed = 0;
    gw.client.setNotificationHandler(ToolListChangedNotificationSchema, () => void (changed += 1));
    await gw.client.callTool({ name: 'echo__add_tool', arguments: { name: 'late_tool' } });
    await expect.poll(() => readAudit(repo.root).some((r) => r.tool_name === 'rea.tofu.withheld' && JSON.stringify(r.metadata).includes('late_tool'))).toBe(true);
    expect(changed).toBe(0);
    expect((await gw.client.listTools()).tools.map((t) => t.name)).not.toContain('echo__late_tool');
    await expect(gw.client.callTool({ name: 'echo__late_tool', arguments: {} })).rejects.toThrow(
      'Tool "echo__late_tool" is withheld by rea: pending operator review (new-after-pin)',
    );
    const accepted = spawnSync(process.execPath, [CLI, '--dir', repo.root, 'tofu', 'accept', 'echo', '--tool', 'late_tool', '--reason', 'added on purpose'], { encoding: 'utf8' });
    expect(accepted.status).toBe(0);
    await expect.poll(() => changed, { timeout: 10_000 }).toBeGreaterThan(0);
    await expect.poll(async () => (await gw.client.listTools()).tools.map((t) => t.name), { timeout: 10_000 }).toContain('echo__late_tool');
  });

  it('answers an unknown tool with a JSON-RPC error that names what is unknown', async () => {
    await expect(gw.client.callTool({ name: 'nosuch__tool', arguments: {} })).rejects.toThrow(
      'Unknown tool "nosuch__tool": no server named "nosuch"',
    );
    await expect(gw.client.callTool({ name: 'echo__nope', arguments: {} })).rejects.toThrow('Unknown tool "nope" on server "echo"');
  });
});

describe('wrap mode keeps the downstream pagination', () => {
  it('passes each page and its nextCursor through, as the server sends them', async () => {
    const repo = tempRepo({ policy: 'version: "1"\nautonomy_level: L1\nmax_autonomy_level: L2\n' });
    const gw = await startGateway({ root: repo.root, args: ['--wrap', '--name', 'pager', '--', process.execPath, fixtureServer('paginates')] });
    const direct = await connectDirect(process.execPath, [fixtureServer('paginates')]);
    try {
      const pages = async (client: Client) => {
        const seen: { names: string[]; next: boolean }[] = [];
        let cursor: string | undefined;
        do {
          const page = await client.listTools(cursor ? { cursor } : {});
          seen.push({ names: page.tools.map((t) => t.name).filter((n) => n !== '__rea__health'), next: page.nextCursor !== undefined });
          cursor = page.nextCursor;
        } while (cursor);
        return seen;
      };
      const through = await pages(gw.client);
      expect(through).toEqual(await pages(direct));
      expect(through).toHaveLength(3);
      expect((await gw.client.listTools()).tools.map((t) => t.name)).toContain('__rea__health');
    } finally {
      await gw.close();
      await direct.close();
      repo.cleanup();
    }
  });
});

describe('the gateway declares what its servers declare (and in wrap mode, who the server is)', () => {

  it.each([
    ['a tools-only server', process.execPath, [fixtureServer('paginates')]],
    ['a server with logging and completions', process.execPath, [fixtureServer('echo')]],
    ['the reference everything server (resources, prompts, tasks)', EVERYTHING, []],
  ])('wrap mode, %s', async (_label, command, args) => {
    const repo = tempRepo({ policy: L3 });
    const gw = await startGateway({ root: repo.root, args: ['--wrap', '--', command, ...args] });
    const direct = await connectDirect(command, args);
    try {
      const straight = direct.getServerCapabilities() ?? {};
      const through = gw.client.getServerCapabilities() ?? {};
      // The same families, nothing more (rea's health tool means tools are always there).
      expect(Object.keys(through).sort()).toEqual([...new Set([...Object.keys(straight), 'tools'])].sort());
      expect(through.tasks).toEqual(straight.tasks);
      expect(through.resources?.subscribe).toEqual(straight.resources?.subscribe);
      // The server's own identity, too: the answer is the one the agent would get directly.
      expect(gw.client.getServerVersion()).toEqual(direct.getServerVersion());
    } finally {
      await gw.close();
      await direct.close();
      repo.cleanup();
    }
  });

  it('several servers: the union of what they declare, so no tasks and no subscribe when none has them', async () => {
    const repo = tempRepo({ policy: L3, servers: [fixtureEntry('echo', 'echo'), fixtureEntry('pager', 'paginates')] });
    const gw = await startGateway({ root: repo.root });
    try {
      expect(gw.client.getServerCapabilities()).toEqual({
        tools: { listChanged: true },
        resources: { listChanged: true },
        prompts: { listChanged: true },
        logging: {},
        completions: {},
      });
    } finally {
      await gw.close();
      repo.cleanup();
    }
  });
});

describe('list_changed only for a list that changed', () => {
  it('does not send the agent to re-list when the gateway pins a first sight itself', async () => {
    const repo = tempRepo({ policy: L3, servers: [fixtureEntry('echo', 'echo')] });
    const gw = await startGateway({ root: repo.root });
    let changed = 0;
    gw.client.setNotificationHandler(ToolListChangedNotificationSchema, () => void (changed += 1));
    try {
      // Writing the first-sight pins changes the pins file the gateway watches; the review runs again.
      await expect.poll(() => gw.stderr.some((l) => l.includes('Catalog reviewed again after a pins change')), { timeout: 10_000 }).toBe(true);
      expect(gw.stderr.find((l) => l.includes('Catalog reviewed again'))).toContain('"changed":[]');
      await gw.client.ping();
      expect(changed).toBe(0);
    } finally {
      await gw.close();
      repo.cleanup();
    }
  });
});

describe('server instructions reach the agent', () => {

  it('passes them through unchanged in wrap mode, and under each server name with several servers', async () => {
    const direct = await connectDirect(EVERYTHING, []);
    const expected = direct.getInstructions();
    await direct.close();
    expect(expected).toMatch(/\S/);

    const wrapRepo = tempRepo({ policy: L3 });
    const wrapped = await startGateway({ root: wrapRepo.root, args: ['--wrap', '--', EVERYTHING] });
    const multiRepo = tempRepo({
      policy: L3,
      servers: [{ name: 'everything', command: EVERYTHING }, fixtureEntry('echo', 'echo')],
    });
    const multi = await startGateway({ root: multiRepo.root });
    try {
      expect(wrapped.client.getInstructions()).toBe(expected);
      const combined = multi.client.getInstructions() ?? '';
      expect(combined).toContain(`<server name="everything">\n${expected!.trim()}\n</server>`);
      expect(combined).toContain('<server name="echo">\nEcho fixture instructions.\n</server>');
    } finally {
      await wrapped.close();
      await multi.close();
      wrapRepo.cleanup();
      multiRepo.cleanup();
    }
  });
});
