import { ErrorCode, McpError, type JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RequestLane } from '../../../../src/gateway/supervision/request-lane.js';

type Sent = { id?: string; method: string; params?: Record<string, unknown> };

function lane(): { lane: RequestLane; sent: Sent[] } {
  const sent: Sent[] = [];
  return { lane: new RequestLane(async (message) => void sent.push(message as unknown as Sent)), sent };
}

const options = (extra: Partial<Parameters<RequestLane['request']>[2]> = {}) => ({ signal: new AbortController().signal, timeoutMs: 60_000, ...extra });
const answer = (id: string, body: Record<string, unknown>): JSONRPCMessage => ({ jsonrpc: '2.0', id, ...body }) as JSONRPCMessage;

afterEach(() => vi.useRealTimers());

describe('RequestLane', () => {
  it('sends the request under a lane id of its own and resolves with the result as the server sent it', async () => {
    const { lane: l, sent } = lane();
    const call = l.request('tools/call', { name: 'echo', arguments: { text: 'hi' } }, options());
    expect(sent).toEqual([{ jsonrpc: '2.0', id: 'rea-request-1', method: 'tools/call', params: { name: 'echo', arguments: { text: 'hi' } } }]);
    expect(l.take(answer('rea-request-1', { result: { content: [], extra: 1 } }))).toBe(true);
    await expect(call).resolves.toEqual({ content: [], extra: 1 });
  });

  it('answers a request only under the exact id it was sent with', async () => {
    const { lane: l } = lane();
    const call = l.request('tools/call', {}, options());
    let settled = false;
    void call.then(() => (settled = true));
    // Other spellings of the same number are the lane's (dropped as late answers), never this request's.
    for (const id of ['rea-request-01', 'rea-request-+1', 'rea-request-1.0', 'rea-request-1 ', 'rea-request-', 'rea-request-1e0', 'rea-request-0001']) l.take(answer(id, { result: { wrong: id } }));
    await Promise.resolve();
    expect(settled).toBe(false);
    l.take(answer('rea-request-1', { result: { right: true } }));
    await expect(call).resolves.toEqual({ right: true });
  });

  it('leaves the SDK client\'s messages alone: numeric ids and other notifications', () => {
    const { lane: l } = lane();
    expect(l.take(answer(7 as unknown as string, { result: {} }))).toBe(false);
    expect(l.take({ jsonrpc: '2.0', method: 'notifications/message', params: {} } as JSONRPCMessage)).toBe(false);
  });

  it('rejects with the server\'s own error code, message and data', async () => {
    const { lane: l } = lane();
    const call = l.request('tools/call', {}, options());
    l.take(answer('rea-request-1', { error: { code: -32000, message: 'server says no', data: { why: 1 } } }));
    const error = await call.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(McpError);
    expect(error).toMatchObject({ code: -32000, data: { why: 1 } });
    expect((error as Error).message).toContain('server says no');
  });

  it('refuses a result that is not an object', async () => {
    const { lane: l } = lane();
    const call = l.request('tools/call', {}, options());
    l.take(answer('rea-request-1', { result: 'text' }));
    await expect(call).rejects.toMatchObject({ code: ErrorCode.InvalidParams });
  });

  it('relays progress under the agent\'s own token and restarts the idle timer with each one', async () => {
    vi.useFakeTimers();
    const { lane: l, sent } = lane();
    const progress: Record<string, unknown>[] = [];
    const call = l.request('tools/call', { _meta: { progressToken: 'agent-7' } }, options({ timeoutMs: 1000, onprogress: (p) => progress.push(p) }));
    expect(sent[0]?.params).toEqual({ _meta: { progressToken: 'agent-7' } });
    vi.advanceTimersByTime(900);
    expect(l.take({ jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: 'agent-7', progress: 1 } } as JSONRPCMessage)).toBe(true);
    vi.advanceTimersByTime(900);
    l.take(answer('rea-request-1', { result: { ok: true } }));
    await expect(call).resolves.toEqual({ ok: true });
    expect(progress).toEqual([{ progress: 1 }]);
  });

  it('gives a request whose agent token is already in use the lane id as its token', () => {
    const { lane: l, sent } = lane();
    void l.request('tools/call', { _meta: { progressToken: 't' } }, options({ onprogress: () => {} }));
    void l.request('tools/call', { _meta: { progressToken: 't' } }, options({ onprogress: () => {} }));
    expect(sent.map((m) => (m.params?.['_meta'] as { progressToken: unknown }).progressToken)).toEqual(['t', 'rea-request-2']);
  });

  it('times out with DOWNSTREAM_TIMEOUT, tells the server to stop, and drops the late answer', async () => {
    vi.useFakeTimers();
    const { lane: l, sent } = lane();
    const call = l.request('tools/call', {}, options({ timeoutMs: 500 }));
    const settled = call.catch((e: unknown) => e);
    vi.advanceTimersByTime(500);
    expect(await settled).toMatchObject({ code: 'DOWNSTREAM_TIMEOUT', message: 'No answer or progress within 500 ms' });
    expect(sent[1]).toEqual({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 'rea-request-1', reason: 'No answer or progress within 500 ms' } });
    expect(l.take(answer('rea-request-1', { result: {} }))).toBe(true);
  });

  it('stops at maxTotalMs even while progress keeps coming', async () => {
    vi.useFakeTimers();
    const { lane: l } = lane();
    const call = l.request('tools/call', { _meta: { progressToken: 'p' } }, options({ timeoutMs: 400, maxTotalMs: 1000, onprogress: () => {} }));
    const settled = call.catch((e: unknown) => e);
    for (let i = 0; i < 3; i += 1) {
      vi.advanceTimersByTime(350);
      l.take({ jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: 'p', progress: i } } as JSONRPCMessage);
    }
    expect(await settled).toMatchObject({ code: 'DOWNSTREAM_TIMEOUT', message: 'No answer within the maximum of 1000 ms (progress does not extend it further)' });
  });

  it('cancels on the agent\'s abort with REQUEST_CANCELLED and tells the server', async () => {
    const { lane: l, sent } = lane();
    const controller = new AbortController();
    const call = l.request('tools/call', {}, options({ signal: controller.signal }));
    controller.abort(new Error('user pressed stop'));
    await expect(call).rejects.toMatchObject({ code: 'REQUEST_CANCELLED', message: 'Request cancelled: user pressed stop' });
    expect(sent[1]?.method).toBe('notifications/cancelled');
  });

  it('fails everything in flight with DOWNSTREAM_EXITED when the connection closes', async () => {
    const { lane: l } = lane();
    const calls = [l.request('a', {}, options()), l.request('b', {}, options())];
    l.closeAll();
    for (const call of calls) await expect(call).rejects.toMatchObject({ code: 'DOWNSTREAM_EXITED' });
  });

  it('times every request in flight with one timer, and holds nothing once they are answered', async () => {
    const timers = (): number => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const baseline = timers();
    const { lane: l } = lane();
    const calls = Array.from({ length: 100 }, (_, i) => l.request('tools/call', { i }, options()));
    expect(timers() - baseline).toBeLessThanOrEqual(1);
    for (let i = 1; i <= 100; i += 1) l.take(answer(`rea-request-${i}`, { result: { i } }));
    expect((await Promise.all(calls)).length).toBe(100);
    expect(timers()).toBe(baseline);
  });
});
