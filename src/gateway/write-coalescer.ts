import type { Writable } from 'node:stream';

/**
 * Coalesces the lines written in the same tick into one write (Node's cork / nextTick-uncork
 * pattern): responses that complete together leave in one syscall, while a lone response leaves
 * before the event loop turns, so sequential latency does not pay for the batching. A write the
 * stream cannot take at once waits for 'drain', so memory stays bounded by the stream's buffer.
 */
export class WriteCoalescer {
  private corked = false;

  constructor(private readonly out: Writable) {}

  write(line: string): Promise<void> {
    if (this.out.destroyed) return Promise.resolve();
    if (!this.corked) {
      this.corked = true;
      this.out.cork();
      process.nextTick(() => {
        this.corked = false;
        this.out.uncork();
      });
    }
    return new Promise((resolve) => {
      if (this.out.write(line)) resolve();
      else this.out.once('drain', resolve);
    });
  }
}
