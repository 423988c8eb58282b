import type { Writable } from 'node:stream';

/**
 * Coalesces the lines written in the same tick into one write (Node's cork / nextTick-uncork
 * pattern): responses that complete together leave in one syscall, while a lone response leaves
 * before the event loop turns, so sequential latency does not pay for the batching. A write the
 * stream cannot take at once waits for 'drain', so memory stays bounded by the stream's buffer.
 */
const WRITTEN: Promise<void> = Promise.resolve();

export class WriteCoalescer {
  private corked = false;
  /** Writers waiting for 'drain': one listener for all of them, however many pile up. */
  private waiting: (() => void)[] = [];

  constructor(private readonly out: Writable) {}

  private readonly uncork = (): void => {
    this.corked = false;
    this.out.uncork();
  };

  write(line: string): Promise<void> {
    if (this.out.destroyed) return Promise.resolve();
    if (!this.corked) {
      this.corked = true;
      this.out.cork();
      process.nextTick(this.uncork);
    }
    // The usual write is taken at once: one settled promise serves them all.
    let taken: boolean;
    try {
      taken = this.out.write(line);
    } catch (error) {
      return Promise.reject(error);
    }
    if (taken) return WRITTEN;
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      if (this.waiting.length === 1) {
        // A stream closed before draining releases its writers too: nobody waits forever.
        const release = (): void => {
          this.out.off('drain', release);
          this.out.off('close', release);
          const ready = this.waiting;
          this.waiting = [];
          for (const done of ready) done();
        };
        this.out.on('drain', release);
        this.out.on('close', release);
      }
    });
  }
}
