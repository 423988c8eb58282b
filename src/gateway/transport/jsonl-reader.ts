/**
 * Splits a byte stream into newline-delimited JSON-RPC messages (MCP stdio transport framing).
 * Chunks are kept in a list and joined once per line, so a 20 MB message costs one copy, not one
 * per chunk; a line longer than `maxLineBytes` is discarded up to its newline, keeping memory bounded.
 */
export type LineEvent =
  | { kind: 'message'; message: unknown }
  | { kind: 'parse-error'; detail: string; bytes: number }
  | { kind: 'oversize'; bytes: number };

export class JsonlReader {
  private chunks: Buffer[] = [];
  private pendingBytes = 0;
  private discarding = false;
  private discardedBytes = 0;

  constructor(
    private readonly maxLineBytes: number,
    private readonly emit: (event: LineEvent) => void,
  ) {}

  push(chunk: Buffer): void {
    let start = 0;
    for (;;) {
      const newline = chunk.indexOf(0x0a, start);
      if (newline === -1) {
        this.hold(chunk.subarray(start));
        return;
      }
      if (this.pendingBytes === 0 && !this.discarding) {
        // The usual case: a whole line inside one chunk is decoded in place, with no view or list.
        this.parseLine(chunk, start, newline);
      } else {
        this.hold(chunk.subarray(start, newline));
        this.finishLine();
      }
      start = newline + 1;
    }
  }

  private hold(part: Buffer): void {
    if (part.length === 0) return;
    if (this.discarding) {
      this.discardedBytes += part.length;
      return;
    }
    if (this.pendingBytes + part.length > this.maxLineBytes) {
      this.discarding = true;
      this.discardedBytes = this.pendingBytes + part.length;
      this.chunks = [];
      this.pendingBytes = 0;
      return;
    }
    this.chunks.push(part);
    this.pendingBytes += part.length;
  }

  private finishLine(): void {
    if (this.discarding) {
      const bytes = this.discardedBytes;
      this.discarding = false;
      this.discardedBytes = 0;
      this.emit({ kind: 'oversize', bytes });
      return;
    }
    const parts = this.chunks;
    const bytes = this.pendingBytes;
    this.chunks = [];
    this.pendingBytes = 0;
    if (bytes === 0) return;
    const whole = parts.length === 1 ? parts[0]! : Buffer.concat(parts, bytes);
    this.parseLine(whole, 0, bytes);
  }

  /** Parses the line in `buffer[start, end)` and emits what it is. */
  private parseLine(buffer: Buffer, start: number, end: number): void {
    const bytes = end - start;
    if (bytes === 0) return;
    if (bytes > this.maxLineBytes) {
      this.emit({ kind: 'oversize', bytes });
      return;
    }
    const text = buffer.toString('utf8', start, end);
    if (text.trim() === '') return;
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch (error) {
      this.emit({ kind: 'parse-error', detail: (error as Error).message, bytes });
      return;
    }
    this.emit({ kind: 'message', message });
  }
}

/** A JSON-RPC 2.0 envelope, checked shallowly: deep validation is the SDK's job, per method. */
/** A JSON-RPC id MCP accepts: a string or an integer (MCP: never null; the SDK: a safe integer). */
export function isRequestId(id: unknown): id is string | number {
  return typeof id === 'string' || (typeof id === 'number' && Number.isSafeInteger(id));
}

/** A request or response carrying an id MCP cannot accept: it gets an Invalid Request, not silence. */
export function hasInvalidId(value: unknown): boolean {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const v = value as Record<string, unknown>;
  return 'id' in v && !isRequestId(v['id']) && !(v['id'] === null && 'error' in v);
}

export function isJsonRpcMessage(value: unknown): boolean {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const v = value as Record<string, unknown>;
  if (v['jsonrpc'] !== '2.0') return false;
  if (typeof v['method'] === 'string') return true;
  return 'id' in v && ('result' in v || 'error' in v);
}
