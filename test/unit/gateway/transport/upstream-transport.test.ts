import { PassThrough } from 'node:stream';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it } from 'vitest';
import { UpstreamTransport } from '../../../../src/gateway/transport/upstream-transport.js';

/** A transport over real streams; `lines()` is everything written to its stdout, parsed. */
async function open(maxMessageBytes = 1024) {
  const input = new PassThrough();
  const output = new PassThrough();
  let written = '';
  output.on('data', (chunk: Buffer) => (written += chunk.toString('utf8')));
  const transport = new UpstreamTransport(input, output, maxMessageBytes);
  const received: JSONRPCMessage[] = [];
  transport.onmessage = (m) => received.push(m);
  let closed = false;
  transport.onclose = () => (closed = true);
  await transport.start();
  const settle = () => new Promise<void>((resolve) => setImmediate(resolve));
  return {
    input,
    transport,
    received,
    isClosed: () => closed,
    settle,
    lines: () => written.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

describe('UpstreamTransport', () => {
  it('delivers each JSON-RPC line, even when it arrives split across chunks or several in one', async () => {
    const t = await open();
    t.input.write('{"jsonrpc":"2.0","id":1,"method":"ping"}\n{"jsonrpc":"2.0",');
    t.input.write('"method":"notifications/initialized"}\n');
    await t.settle();
    expect(t.received).toEqual([
      { jsonrpc: '2.0', id: 1, method: 'ping' },
      { jsonrpc: '2.0', method: 'notifications/initialized' },
    ]);
  });

  it('answers what it cannot use instead of dropping it: bad JSON, not JSON-RPC, a bad id, an oversize line', async () => {
    const t = await open(200);
    t.input.write('{not json\n');
    t.input.write('{"id":4,"hello":1}\n');
    t.input.write('{"jsonrpc":"2.0","id":1.5,"method":"ping"}\n');
    t.input.write(`{"jsonrpc":"2.0","id":2,"method":"ping","params":{"x":"${'a'.repeat(300)}"}}\n`);
    await t.settle();
    expect(t.received).toEqual([]);
    const errors = t.lines().map((l) => [l['id'], (l['error'] as { code: number; message: string }).code, (l['error'] as { message: string }).message.split(':')[0]]);
    expect(errors).toEqual([
      [null, -32700, 'Parse error'],
      [4, -32600, 'Invalid Request'],
      [null, -32600, 'Invalid Request'],
      [null, -32600, 'Invalid Request'],
    ]);
  });

  it('offers each message to intercept first, and passes on only what it does not take', async () => {
    const t = await open();
    t.transport.intercept = (m) => (m as { method?: string }).method === 'tools/call';
    t.input.write('{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{}}\n{"jsonrpc":"2.0","id":2,"method":"ping"}\n');
    await t.settle();
    expect(t.received).toEqual([{ jsonrpc: '2.0', id: 2, method: 'ping' }]);
  });

  it('writes each message sent as one line on stdout', async () => {
    const t = await open();
    await t.transport.send({ jsonrpc: '2.0', id: 1, result: {} } as JSONRPCMessage);
    await t.transport.send({ jsonrpc: '2.0', method: 'notifications/tools/list_changed' } as JSONRPCMessage);
    await t.settle();
    expect(t.lines()).toEqual([{ jsonrpc: '2.0', id: 1, result: {} }, { jsonrpc: '2.0', method: 'notifications/tools/list_changed' }]);
  });

  it('reports the end of stdin once, and sends nothing after it', async () => {
    const t = await open();
    t.input.end();
    await t.settle();
    expect(t.isClosed()).toBe(true);
    await t.transport.send({ jsonrpc: '2.0', id: 1, result: {} } as JSONRPCMessage);
    await t.settle();
    expect(t.lines()).toEqual([]);
  });
});
