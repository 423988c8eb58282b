import { PassThrough, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { WriteCoalescer } from '../../../../src/gateway/transport/write-coalescer.js';

describe('WriteCoalescer', () => {
  it('hands the lines written in one tick to the stream as one vectored write, in order', async () => {
    const writes: string[][] = [];
    const out = new Writable({
      writev(chunks, callback) {
        writes.push(chunks.map((c) => String(c.chunk)));
        callback();
      },
      write(chunk: Buffer, _encoding, callback) {
        writes.push([chunk.toString('utf8')]);
        callback();
      },
    });
    const writer = new WriteCoalescer(out);
    const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
    await Promise.all(['a\n', 'b\n', 'c\n'].map((line) => writer.write(line)));
    await turn();
    await writer.write('d\n');
    await turn();
    expect(writes).toEqual([['a\n', 'b\n', 'c\n'], ['d\n']]);
  });

  it('holds writers while the reader is slow with one drain listener, and releases them all when it reads', async () => {
    const out = new PassThrough({ highWaterMark: 16 });
    const writer = new WriteCoalescer(out);
    let released = 0;
    const pending = Array.from({ length: 50 }, (_, i) => writer.write(`line ${i}\n`).then(() => void (released += 1)));
    await new Promise((resolve) => setImmediate(resolve));
    expect(released).toBeLessThan(50);
    expect(out.listenerCount('drain')).toBe(1);
    let text = '';
    out.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    await Promise.all(pending);
    expect(released).toBe(50);
    expect(text.split('\n').filter(Boolean)).toHaveLength(50);
    expect(out.listenerCount('drain')).toBe(0);
  });

  it('releases waiting writers when the stream closes before draining', async () => {
    const out = new PassThrough({ highWaterMark: 16 });
    const writer = new WriteCoalescer(out);
    const pending = Array.from({ length: 20 }, (_, i) => writer.write(`line ${i}\n`));
    await new Promise((resolve) => setImmediate(resolve));
    out.destroy();
    await expect(Promise.all(pending)).resolves.toHaveLength(20);
    await expect(writer.write('after\n')).resolves.toBeUndefined();
  });
});
