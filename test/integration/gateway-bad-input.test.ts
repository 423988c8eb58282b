import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { LoggingMessageNotificationSchema, ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { isProcessAlive, startGateway, useGatewayScope } from '../helpers/gateway.js';
import { callRecords, readAudit } from '../helpers/audit-log.js';
import { CLI, fixtureEntry, fixtureServer, tempRepo, type TempRepo } from '../helpers/temp-repo.js';

const L3 = 'version: "1"\nautonomy_level: L3\nmax_autonomy_level: L3\n';

/** Raw stdio session: write lines, read JSON-RPC lines back. */
function rawSession(root: string, serveArgs: readonly string[] = []) {
  const child = spawn(process.execPath, [CLI, 'serve', '--dir', root, ...serveArgs], { stdio: ['pipe', 'pipe', 'pipe'], env: { PATH: process.env['PATH'] } });
  const replies: Record<string, unknown>[] = [];
  const nonJson: string[] = [];
  createInterface({ input: child.stdout }).on('line', (line) => {
    try {
      replies.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      nonJson.push(line);
    }
  });
  child.stderr.resume();
  return {
    child,
    replies,
    nonJson,
    send: (line: string) => child.stdin.write(line + '\n'),
    close: () => new Promise<number | null>((resolve) => {
      child.once('exit', (code) => resolve(code));
      child.stdin.end();
    }),
  };
}

interface DownstreamState {
  readonly state: string;
  readonly pid: number | null;
  readonly restarts: number;
}

/** The downstreams as `.rea/serve.state.json` shows them; [] until it is written. */
function downstreams(root: string): DownstreamState[] {
  try {
    return (JSON.parse(readFileSync(join(root, '.rea', 'serve.state.json'), 'utf8')) as { downstreams: DownstreamState[] }).downstreams;
  } catch {
    return [];
  }
}

describe('bad input from the client', () => {
  let repo: TempRepo | undefined;
  afterEach(() => repo?.cleanup());

  it('answers unparseable JSON, non-JSON-RPC values and unknown methods, and keeps serving', async () => {
    repo = tempRepo({ policy: L3, servers: [fixtureEntry('echo', 'echo')] });
    const s = rawSession(repo.root);
    s.send('{this is not json');
    s.send('[1,2,3]');
    s.send('{"jsonrpc":"2.0","id":7,"method":"no/such/method","params":{}}');
    s.send(JSON.stringify({ jsonrpc: '2.0', id: 8, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } }));
    await expect.poll(() => s.replies.length, { timeout: 10_000 }).toBeGreaterThanOrEqual(4);
    expect(s.replies[0]).toMatchObject({ id: null, error: { code: -32700 } });
    expect(s.replies[1]).toMatchObject({ id: null, error: { code: -32600, message: 'Invalid Request: not a JSON-RPC 2.0 message' } });
    expect(s.replies[2]).toMatchObject({ id: 7, error: { code: -32601, message: 'Method not found' } });
    expect(s.replies[3]).toMatchObject({ id: 8, result: { protocolVersion: '2025-11-25', serverInfo: { name: 'rea' } } });
    expect(s.nonJson).toEqual([]);
    expect(await s.close()).toBe(0);
  });

  // Review finding 11: ids the SDK's schema rejects used to get no answer at all.
  it('answers a request whose id is not a string or an integer with Invalid Request, and keeps serving', async () => {
    repo = tempRepo({ policy: L3, servers: [fixtureEntry('echo', 'echo')] });
    const s = rawSession(repo.root);
    s.send(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } }));
    await expect.poll(() => s.replies.length, { timeout: 10_000 }).toBe(1);
    for (const id of ['123456789012345678901234567890', '1.5', '1.2e29', '{"a":1}', 'null', 'true', '[1]']) s.send(`{"jsonrpc":"2.0","id":${id},"method":"ping"}`);
    s.send('{"jsonrpc":"2.0","id":9,"method":"ping"}');
    await expect.poll(() => s.replies.length, { timeout: 10_000 }).toBe(9);
    expect(s.replies.slice(1, 8)).toEqual(Array(7).fill({ jsonrpc: '2.0', id: null, error: { code: -32600, message: 'Invalid Request: `id` must be a string or an integer' } }));
    expect(s.replies[8]).toEqual({ jsonrpc: '2.0', id: 9, result: {} });
    expect(await s.close()).toBe(0);
  });

  it.each([
    ['several servers', [] as string[]],
    ['wrap mode', ['--wrap', '--', process.execPath, fixtureServer('echo')]],
  ])('sends nothing before its initialize response, and no list_changed before notifications/initialized (%s)', async (_label, serveArgs) => {
    repo = tempRepo({ policy: L3, servers: [fixtureEntry('echo', 'echo'), fixtureEntry('echo2', 'echo')] });
    const root = repo.root;
    const s = rawSession(root, serveArgs);
    s.send(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } }));
    await expect.poll(() => s.replies.some((r) => r['id'] === 1), { timeout: 10_000 }).toBe(true);
    await expect.poll(() => downstreams(root).map((d) => d.state), { timeout: 10_000 }).toEqual(serveArgs.length === 0 ? ['ready', 'ready'] : ['ready']);
    // A crash and restart between the handshake's two halves changes the catalog twice.
    process.kill(downstreams(root)[0]!.pid!, 'SIGKILL');
    await expect.poll(() => downstreams(root)[0], { timeout: 10_000 }).toMatchObject({ state: 'ready', restarts: 1 });
    expect(s.replies.map((r) => r['method'] ?? `response ${String(r['id'])}`)).toEqual(['response 1']);
    s.send(JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }));
    s.send(JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }));
    await expect.poll(() => s.replies.some((r) => r['id'] === 2), { timeout: 10_000 }).toBe(true);
    const names = ((s.replies.find((r) => r['id'] === 2)!['result'] as { tools: { name: string }[] }).tools).map((t) => t.name);
    expect(names).toContain(serveArgs.length === 0 ? 'echo__echo' : 'echo');
    expect(await s.close()).toBe(0);
  });

  // An EPIPE on the JSON-RPC channel means the agent is gone: the same graceful shutdown as stdin closing.
  it('shuts down gracefully when the agent closes its end of stdout: stop recorded, children stopped, pid file removed', async () => {
    repo = tempRepo({ policy: L3, servers: [fixtureEntry('echo', 'echo')] });
    const root = repo.root;
    const s = rawSession(root);
    s.send(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } }));
    await expect.poll(() => s.replies.some((r) => r['id'] === 1), { timeout: 10_000 }).toBe(true);
    await expect.poll(() => downstreams(root)[0]?.state, { timeout: 10_000 }).toBe('ready');
    const childPid = downstreams(root)[0]!.pid!;
    const exited = new Promise<number | null>((resolve) => s.child.once('exit', (code) => resolve(code)));
    s.child.stdout.destroy();
    // stdin stays open: only the answer to this ping, written into the closed pipe, tells the gateway.
    s.send(JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'ping' }));
    expect(await exited).toBe(0);
    expect(readAudit(root).filter((r) => r.tool_name === 'rea.gateway.stop')).toHaveLength(1);
    expect(existsSync(join(root, '.rea', 'serve.pid'))).toBe(false);
    expect(isProcessAlive(childPid)).toBe(false);
  });

  it('survives deeply nested and huge params with a clear answer', async () => {
    repo = tempRepo({ policy: L3, servers: [fixtureEntry('echo', 'echo')] });
    const s = rawSession(repo.root);
    s.send(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } }));
    s.send(JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }));
    const deep = '['.repeat(200_000) + ']'.repeat(200_000);
    s.send(`{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"echo__echo","arguments":{"text":${deep}}}}`);
    s.send(JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'echo__echo', arguments: { text: 'y'.repeat(8 * 1024 * 1024) } } }));
    s.send(JSON.stringify({ jsonrpc: '2.0', id: 4, method: 'ping' }));
    await expect.poll(() => [2, 3, 4].every((id) => s.replies.some((r) => r['id'] === id)), { timeout: 20_000 }).toBe(true);
    expect(s.replies.find((r) => r['id'] === 4)).toMatchObject({ result: {} });
    expect(s.replies.find((r) => r['id'] === 2)).toMatchObject({
      error: { code: -32602, message: 'Arguments of "echo__echo" nest deeper than 64 levels' },
    });
    expect(s.replies.find((r) => r['id'] === 3)).toHaveProperty('result');
    expect(await s.close()).toBe(0);
  });

  it('answers malformed tools/call params with Invalid params, and a call the client cancelled with nothing at all', async () => {
    repo = tempRepo({ policy: L3, servers: [fixtureEntry('echo', 'echo')] });
    const s = rawSession(repo.root);
    s.send(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } }));
    s.send(JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }));
    s.send(JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 5 } }));
    s.send(JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'echo__echo', arguments: 'text' } }));
    s.send(JSON.stringify({ jsonrpc: '2.0', id: 6, method: 'tools/call' }));
    s.send(JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'tools/call', params: ['echo__echo'] }));
    s.send(JSON.stringify({ jsonrpc: '2.0', id: 8, method: 'tools/call', params: { name: 'echo__echo', arguments: { text: 'a' }, _meta: 'x' } }));
    s.send(JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'tools/call', params: { name: 'echo__echo', arguments: { text: 'a' }, _meta: { progressToken: {} } } }));
    s.send(JSON.stringify({ jsonrpc: '2.0', id: 4, method: 'tools/call', params: { name: 'echo__slow', arguments: { steps: 0 } } }));
    s.send(JSON.stringify({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 4, reason: 'changed my mind' } }));
    s.send(JSON.stringify({ jsonrpc: '2.0', id: 5, method: 'tools/call', params: { name: 'echo__echo', arguments: { text: 'after' } } }));
    await expect.poll(() => [2, 3, 5, 6, 7, 8, 9].every((id) => s.replies.some((r) => r['id'] === id)), { timeout: 10_000 }).toBe(true);
    expect(s.replies.find((r) => r['id'] === 8)).toMatchObject({ error: { code: -32602, message: 'Invalid params: `_meta` must be an object' } });
    expect(s.replies.find((r) => r['id'] === 9)).toMatchObject({
      error: { code: -32602, message: 'Invalid params: `_meta.progressToken` must be a string or a number' },
    });
    expect(s.replies.find((r) => r['id'] === 6)).toMatchObject({ error: { code: -32602, message: 'Invalid params: tools/call needs `name`, a string' } });
    expect(s.replies.find((r) => r['id'] === 7)).toMatchObject({ error: { code: -32602, message: 'Invalid params: tools/call takes an object' } });
    expect(s.replies.find((r) => r['id'] === 2)).toMatchObject({ error: { code: -32602, message: 'Invalid params: tools/call needs `name`, a string' } });
    expect(s.replies.find((r) => r['id'] === 3)).toMatchObject({
      error: { code: -32602, message: 'Invalid params: `arguments` of "echo__echo" must be an object' },
    });
    expect(s.replies.find((r) => r['id'] === 5)).toMatchObject({ result: { content: [{ text: 'after' }] } });
    // The cancelled call is settled (its outcome is recorded as cancelled) and, as the spec says, its
    // requester gets no response: none has arrived by the time a later ping is answered.
    await expect.poll(() => callRecords(repo!.root).some((r) => r.tool_name === 'slow' && r.metadata?.['outcome'] === 'cancelled'), { timeout: 10_000 }).toBe(true);
    s.send(JSON.stringify({ jsonrpc: '2.0', id: 10, method: 'ping' }));
    await expect.poll(() => s.replies.some((r) => r['id'] === 10), { timeout: 10_000 }).toBe(true);
    expect(s.replies.some((r) => r['id'] === 4)).toBe(false);
    expect(await s.close()).toBe(0);
  });

  it('handles a client that cancels everything it sends', async () => {
    repo = tempRepo({ policy: L3, servers: [fixtureEntry('echo', 'echo')] });
    const gw = await startGateway({ root: repo.root });
    try {
      const calls = Array.from({ length: 20 }, () => {
        const controller = new AbortController();
        const p = gw.client.callTool({ name: 'echo__slow', arguments: { steps: 0 } }, undefined, { signal: controller.signal });
        controller.abort('cancel everything');
        return p.then(() => 'resolved', () => 'rejected');
      });
      expect(new Set(await Promise.all(calls))).toEqual(new Set(['rejected']));
      const ok = await gw.client.callTool({ name: 'echo__echo', arguments: { text: 'still here' } });
      expect((ok.content as { text: string }[])[0]!.text).toBe('still here');
    } finally {
      await gw.close();
    }
  });
});

describe('bad behaviour from a downstream', () => {
  const s = useGatewayScope();

  it('ignores garbage on a downstream stdout and serves its tools', async () => {
    s.repo = tempRepo({ policy: L3, servers: [fixtureEntry('junk', 'garbage-stdout')] });
    s.gw = await startGateway({ root: s.repo.root });
    const result = await s.gw.client.callTool({ name: 'junk__hello', arguments: {} });
    expect((result.content as { text: string }[])[0]!.text).toBe('hello');
    expect(s.gw.stderr.some((l) => l.includes('Ignored a line on stdout that is not JSON'))).toBe(true);
  });

  it('caps a 20 MB result to a well-formed, visibly truncated one and stays responsive', async () => {
    s.repo = tempRepo({ policy: L3, servers: [fixtureEntry('huge', 'huge-result'), fixtureEntry('echo', 'echo')] });
    s.gw = await startGateway({ root: s.repo.root });
    const result = await s.gw.client.callTool({ name: 'huge__huge', arguments: {} });
    const text = (result.content as { type: string; text: string }[]).map((c) => c.text).join('');
    expect(text.length).toBeLessThanOrEqual(1_100_000);
    expect(text).toMatch(/truncated/i);
    const ok = await s.gw.client.callTool({ name: 'echo__echo', arguments: { text: 'after' } });
    expect((ok.content as { text: string }[])[0]!.text).toBe('after');
  });

  it('bounds a notification flood and keeps answering calls', async () => {
    s.repo = tempRepo({ policy: L3, servers: [fixtureEntry('flood', 'floods-notifications')] });
    s.gw = await startGateway({ root: s.repo.root });
    let received = 0;
    s.gw.client.setNotificationHandler(LoggingMessageNotificationSchema, () => void (received += 1));
    const result = await s.gw.client.callTool({ name: 'flood__flood', arguments: { count: 20_000 } });
    expect((result.content as { text: string }[])[0]!.text).toBe('sent 20000');
    await s.gw.client.ping();
    expect(received).toBeGreaterThan(0);
    expect(received).toBeLessThan(20_000);
    await expect.poll(() => s.gw!.stderr.some((l) => l.includes('Dropped notifications over the rate limit')), { timeout: 5000 }).toBe(true);
  });

  // Review finding 2: 20,000 list_changed used to become 20,000 refreshes, one after another.
  it('coalesces a list_changed flood into at most one refresh running and one queued, and tells the agent only of real changes', async () => {
    s.repo = tempRepo({ policy: L3, servers: [fixtureEntry('lc', 'floods-list-changed')] });
    s.gw = await startGateway({ root: s.repo.root });
    let announced = 0;
    s.gw.client.setNotificationHandler(ToolListChangedNotificationSchema, () => void (announced += 1));
    const listCalls = async () => Number(((await s.gw!.client.callTool({ name: 'lc__list_calls', arguments: {} })).content as { text: string }[])[0]?.text);
    expect(await listCalls()).toBe(1);
    const flood = await s.gw.client.callTool({ name: 'lc__flood', arguments: { n: 20_000 } });
    expect(flood.content).toEqual([{ type: 'text', text: 'sent 20000' }]);
    // Every notification came before the flood's answer, so all of them have been seen by now:
    // one refresh started, the rest folded into one more.
    await expect.poll(listCalls, { timeout: 10_000 }).toBe(3);
    for (let i = 0; i < 20; i += 1) await s.gw.client.ping();
    expect(await listCalls()).toBe(3);
    expect(announced).toBe(0);
    const rssMb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${s.gw.pid}/status`, 'utf8'))?.[1]) / 1024;
    expect(rssMb).toBeLessThan(300);
  });

  it.each([
    ['cannot be started (no such command)', { name: 'broken', command: '/nonexistent/rea-test-server', args: [] }, 'could not start: spawn /nonexistent/rea-test-server ENOENT'],
    ['exits at once', fixtureEntry('broken', 'exits-at-once'), 'exited with code 1: exits-at-once: bad config, giving up'],
  ])('reports a downstream that %s with the reason in health, and keeps serving the others', async (_case, entry, reason) => {
    s.repo = tempRepo({ policy: `${L3}gateway:\n  expose_errors: true\n`, servers: [entry, fixtureEntry('echo', 'echo')] });
    s.gw = await startGateway({ root: s.repo.root });
    const broken = async () => {
      const health = await s.gw!.client.callTool({ name: '__rea__health', arguments: {} });
      const report = health.structuredContent as { downstreams: { name: string; state: string; last_error?: string }[] };
      return report.downstreams.find((d) => d.name === 'broken')!;
    };
    await expect.poll(broken, { timeout: 5000 }).toMatchObject({ state: 'restarting', last_error: `Downstream "broken" ${reason}` });
    const ok = await s.gw.client.callTool({ name: 'echo__echo', arguments: { text: 'up' } });
    expect(ok.isError).toBeFalsy();
  });
});
