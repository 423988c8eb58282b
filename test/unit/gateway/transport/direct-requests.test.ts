import { ErrorCode, McpError, type JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it } from 'vitest';
import { DirectRequests, type DirectHandler } from '../../../../src/gateway/transport/direct-requests.js';
import type { RequestExtra } from '../../../../src/gateway/transport/progress-relay.js';
import { cancellationOf, RequestCancellation } from '../../../../src/gateway/transport/cancellation.js';

/** A handler that waits until the test lets it answer, and records what it was given. */
function handler(accepts: (params: Record<string, unknown>) => boolean = () => true) {
  const calls: { params: Record<string, unknown>; extra: RequestExtra; finish: (result: Record<string, unknown> | Error) => void }[] = [];
  const h: DirectHandler = {
    accepts,
    handle: (params, extra) =>
      new Promise((resolve, reject) => calls.push({ params, extra, finish: (r) => (r instanceof Error ? reject(r) : resolve(r)) })),
  };
  return { h, calls };
}

function setup(h: DirectHandler) {
  const sent: Record<string, unknown>[] = [];
  const direct = new DirectRequests(new Map([['tools/call', h]]), async (m) => void sent.push(m as unknown as Record<string, unknown>));
  return { direct, sent };
}

const request = (id: unknown, params?: unknown): JSONRPCMessage => ({ jsonrpc: '2.0', id, method: 'tools/call', ...(params === undefined ? {} : { params }) }) as JSONRPCMessage;
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('DirectRequests', () => {
  it('answers a tools/call with the handler\'s result under the request\'s id', async () => {
    const { h, calls } = handler();
    const { direct, sent } = setup(h);
    expect(direct.take(request(3, { name: 'fs__read', _meta: { progressToken: 'p' } }))).toBe(true);
    expect(calls[0]?.params).toEqual({ name: 'fs__read', _meta: { progressToken: 'p' } });
    expect(calls[0]?.extra).toMatchObject({ requestId: 3, _meta: { progressToken: 'p' } });
    calls[0]?.finish({ content: [] });
    await settle();
    expect(sent).toEqual([{ jsonrpc: '2.0', id: 3, result: { content: [] } }]);
  });

  it('sends an error\'s code, message and data, and Internal error for anything without a code', async () => {
    const { h, calls } = handler();
    const { direct, sent } = setup(h);
    direct.take(request('a', {}));
    direct.take(request('b', {}));
    calls[0]?.finish(new McpError(ErrorCode.InvalidParams, 'bad', { field: 'x' }));
    calls[1]?.finish(new Error('boom'));
    await settle();
    expect(sent).toEqual([
      { jsonrpc: '2.0', id: 'a', error: { code: ErrorCode.InvalidParams, message: 'MCP error -32602: bad', data: { field: 'x' } } },
      { jsonrpc: '2.0', id: 'b', error: { code: ErrorCode.InternalError, message: 'boom' } },
    ]);
  });

  it('answers params that are not an object with Invalid params, without calling the handler', () => {
    const { h, calls } = handler();
    const { direct, sent } = setup(h);
    expect(direct.take(request(1, [1, 2]))).toBe(true);
    expect(calls).toEqual([]);
    expect(sent).toEqual([{ jsonrpc: '2.0', id: 1, error: { code: ErrorCode.InvalidParams, message: 'Invalid params: tools/call takes an object' } }]);
  });

  it('leaves to the SDK server what it does not handle: other methods, notifications, refused params, a reused id', () => {
    const { h } = handler((params) => params['task'] === undefined);
    const { direct } = setup(h);
    expect(direct.take({ jsonrpc: '2.0', id: 1, method: 'tools/list' } as JSONRPCMessage)).toBe(false);
    expect(direct.take({ jsonrpc: '2.0', method: 'tools/call' } as JSONRPCMessage)).toBe(false);
    expect(direct.take(request(2, { task: {} }))).toBe(false);
    expect(direct.take(request(3, {}))).toBe(true);
    expect(direct.take(request(3, {}))).toBe(false);
  });

  it('aborts a call the agent cancels and sends no response for it', async () => {
    const { h, calls } = handler();
    const { direct, sent } = setup(h);
    direct.take(request(9, {}));
    expect(direct.take({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 9, reason: 'stop' } } as JSONRPCMessage)).toBe(true);
    expect(calls[0]?.extra.signal.aborted).toBe(true);
    expect(calls[0]?.extra.signal.reason).toBe('stop');
    calls[0]?.finish({ content: [] });
    await settle();
    expect(sent).toEqual([]);
    expect(direct.take({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 'unknown' } } as JSONRPCMessage)).toBe(false);
  });

  it('hands the handler a cancellation without an AbortController of its own, which the agent\'s cancel aborts', () => {
    const { h, calls } = handler();
    const { direct } = setup(h);
    direct.take(request(4, {}));
    const cancellation = cancellationOf(calls[0]!.extra);
    expect(cancellation).toBeInstanceOf(RequestCancellation);
    let heard = 0;
    cancellation.addEventListener('abort', () => (heard += 1));
    direct.take({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 4, reason: 'stop' } } as JSONRPCMessage);
    expect([cancellation.aborted, cancellation.reason, heard]).toEqual([true, 'stop', 1]);
    expect(calls[0]?.extra.signal.reason).toBe('stop');
  });

  it('aborts every running call when the agent goes away', () => {
    const { h, calls } = handler();
    const { direct } = setup(h);
    direct.take(request(1, {}));
    direct.take(request(2, {}));
    direct.abortAll();
    expect(calls.map((c) => c.extra.signal.aborted)).toEqual([true, true]);
  });

  it('lets the handler send notifications (progress) to the agent', async () => {
    const { h, calls } = handler();
    const { direct, sent } = setup(h);
    direct.take(request(1, {}));
    await calls[0]?.extra.sendNotification({ method: 'notifications/progress', params: { progressToken: 'p', progress: 1 } } as never);
    expect(sent).toEqual([{ jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: 'p', progress: 1 } }]);
  });
});
