/**
 * Streams a file's lines as byte ranges (constant memory: one chunk plus one partial line).
 * Lines are handed over as Buffers so the verifier can hash bytes without decoding them.
 */
import { createReadStream } from 'node:fs';

export interface RawLine {
  /** The chunk holding the line; bytes [start, end) are the line without its newline. */
  readonly buf: Buffer;
  readonly start: number;
  readonly end: number;
  /** False only for a last line with no trailing newline. */
  readonly terminated: boolean;
}

const NL = 0x0a;

export async function* readRawLines(path: string): AsyncGenerator<RawLine> {
  let carry: Buffer | undefined;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    const buf = carry === undefined ? chunk : Buffer.concat([carry, chunk]);
    carry = undefined;
    let start = 0;
    for (;;) {
      const nl = buf.indexOf(NL, start);
      if (nl === -1) break;
      yield { buf, start, end: nl, terminated: true };
      start = nl + 1;
    }
    if (start < buf.length) carry = buf.subarray(start);
  }
  if (carry !== undefined && carry.length > 0) yield { buf: carry, start: 0, end: carry.length, terminated: false };
}
