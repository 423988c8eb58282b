import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import type { Readable, Writable } from 'node:stream';
import { JsonlReader, hasInvalidId, isJsonRpcMessage, isRequestId } from './jsonl-reader.js';
import { WriteCoalescer } from './write-coalescer.js';

/** JSON-RPC 2.0 error codes for messages that never reach a handler. */
const PARSE_ERROR = -32700;
const INVALID_REQUEST = -32600;

/**
 * The agent-facing stdio transport. Unlike a bare line reader it answers what it cannot use:
 * unparseable JSON gets a Parse error, a JSON value that is not JSON-RPC an Invalid Request, an
 * oversize message an Invalid Request, so a misbehaving client learns why instead of hanging.
 * stdout carries nothing but these JSON-RPC lines.
 */
export class UpstreamTransport implements Transport {
  onmessage?: (message: JSONRPCMessage) => void;
  onerror?: (error: Error) => void;
  onclose?: () => void;
  /** Consulted before `onmessage`: a message it takes (returns true for) is not passed on. */
  intercept?: (message: JSONRPCMessage) => boolean;
  private closed = false;
  private readonly reader: JsonlReader;
  private readonly writer: WriteCoalescer;

  constructor(
    private readonly input: Readable,
    private readonly output: Writable,
    maxMessageBytes: number,
  ) {
    this.writer = new WriteCoalescer(output);
    this.reader = new JsonlReader(maxMessageBytes, (event) => {
      switch (event.kind) {
        case 'message':
          if (!isJsonRpcMessage(event.message)) this.reject(idOf(event.message), INVALID_REQUEST, 'Invalid Request: not a JSON-RPC 2.0 message');
          else if (hasInvalidId(event.message)) this.reject(null, INVALID_REQUEST, 'Invalid Request: `id` must be a string or an integer');
          else this.deliver(event.message as JSONRPCMessage);
          return;
        case 'parse-error':
          this.reject(null, PARSE_ERROR, `Parse error: ${event.detail}`);
          return;
        case 'oversize':
          this.reject(null, INVALID_REQUEST, `Invalid Request: message of ${event.bytes} bytes exceeds the limit of ${maxMessageBytes}`);
          return;
        default: {
          const never: never = event;
          return never;
        }
      }
    });
  }

  async start(): Promise<void> {
    this.input.on('data', this.onData);
    this.input.once('end', this.onEnd);
    this.input.once('close', this.onEnd);
    this.output.on('error', (error: NodeJS.ErrnoException) => {
      this.onerror?.(error);
      // The agent closed its end of stdout: it is gone, as when stdin closes (graceful shutdown).
      if (error.code === 'EPIPE') this.onEnd();
    });
  }

  send(message: JSONRPCMessage): Promise<void> {
    if (this.closed) return Promise.resolve();
    return this.writer.write(JSON.stringify(message) + '\n');
  }

  async close(): Promise<void> {
    this.input.off('data', this.onData);
    this.onEnd();
  }

  private readonly onData = (chunk: Buffer): void => this.reader.push(chunk);

  private readonly onEnd = (): void => {
    if (this.closed) return;
    this.closed = true;
    this.onclose?.();
  };

  /**
   * Validation deep inside the SDK can throw synchronously on pathological input (a stack overflow
   * on 200,000 nested arrays): answer that request instead of losing the rest of the read chunk.
   */
  private deliver(message: JSONRPCMessage): void {
    try {
      if (this.intercept?.(message)) return;
      this.onmessage?.(message);
    } catch (error) {
      const detail = error instanceof RangeError ? 'params nested too deeply' : 'message could not be processed';
      this.reject(idOf(message), INVALID_REQUEST, `Invalid Request: ${detail}`);
    }
  }

  private reject(id: string | number | null, code: number, message: string): void {
    void this.send({ jsonrpc: '2.0', id, error: { code, message } } as unknown as JSONRPCMessage);
  }
}

function idOf(value: unknown): string | number | null {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const id = (value as Record<string, unknown>)['id'];
    if (isRequestId(id)) return id;
  }
  return null;
}
