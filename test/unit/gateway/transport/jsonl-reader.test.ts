import { describe, expect, it } from 'vitest';
import { JsonlReader, isJsonRpcMessage, type LineEvent } from '../../../../src/gateway/transport/jsonl-reader.js';

function read(max: number, ...chunks: string[]): LineEvent[] {
  const events: LineEvent[] = [];
  const reader = new JsonlReader(max, (e) => events.push(e));
  for (const c of chunks) reader.push(Buffer.from(c));
  return events;
}

describe('JsonlReader', () => {
  it('reassembles a message split across chunks and several messages in one chunk', () => {
    expect(read(1000, '{"a":', '1}\n{"b":2}\n{"c"', ':3}\n')).toEqual([
      { kind: 'message', message: { a: 1 } },
      { kind: 'message', message: { b: 2 } },
      { kind: 'message', message: { c: 3 } },
    ]);
  });

  it('reports a line that is not JSON and keeps reading after it', () => {
    const events = read(1000, 'Starting server...\n{"ok":true}\n');
    expect(events[0]).toMatchObject({ kind: 'parse-error', bytes: 18 });
    expect(events[1]).toEqual({ kind: 'message', message: { ok: true } });
  });

  it('drops an oversize line up to its newline without holding it in memory, then recovers', () => {
    const events = read(10, '{"x":"', 'a'.repeat(50), '"}\n{"y":1}\n');
    expect(events).toEqual([{ kind: 'oversize', bytes: 58 }, { kind: 'message', message: { y: 1 } }]);
  });

  it('refuses an oversize line that arrives whole in one chunk, with its size, and reads on', () => {
    const events = read(10, `{"x":"${'a'.repeat(50)}"}\n{"y":1}\n`);
    expect(events).toEqual([{ kind: 'oversize', bytes: 58 }, { kind: 'message', message: { y: 1 } }]);
  });

  it('decodes a multi-byte character split across chunks', () => {
    const bytes = Buffer.from('{"t":"é"}\n');
    const events: LineEvent[] = [];
    const reader = new JsonlReader(100, (e) => events.push(e));
    reader.push(bytes.subarray(0, 7));
    reader.push(bytes.subarray(7));
    expect(events).toEqual([{ kind: 'message', message: { t: 'é' } }]);
  });

  it('ignores blank lines', () => {
    expect(read(100, '\n\r\n  \n')).toEqual([]);
  });
});

describe('isJsonRpcMessage', () => {
  it('accepts requests, notifications and responses, and rejects the rest', () => {
    expect(isJsonRpcMessage({ jsonrpc: '2.0', id: 1, method: 'ping' })).toBe(true);
    expect(isJsonRpcMessage({ jsonrpc: '2.0', method: 'notifications/initialized' })).toBe(true);
    expect(isJsonRpcMessage({ jsonrpc: '2.0', id: 1, result: {} })).toBe(true);
    expect(isJsonRpcMessage({ jsonrpc: '1.0', id: 1, method: 'ping' })).toBe(false);
    expect(isJsonRpcMessage([{ jsonrpc: '2.0' }])).toBe(false);
    expect(isJsonRpcMessage({ not: 'jsonrpc' })).toBe(false);
  });
});
