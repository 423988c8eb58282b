import type { Logger } from '../../observability/logger.js';

const MAX_LINE_CHARS = 2048;
const MAX_LINES_PER_SECOND = 50;

/**
 * A child's stderr becomes the gateway's log lines, prefixed with the server name, never raw
 * bytes on our stderr: bounded in length and rate so a chatty child cannot flood the operator.
 */
export class StderrLines {
  private partial = '';
  private windowStart = 0;
  private linesInWindow = 0;
  private dropped = 0;
  last: string | undefined;

  constructor(
    private readonly server: string,
    private readonly log: Logger,
  ) {}

  push(chunk: Buffer): void {
    const text = this.partial + chunk.toString('utf8');
    const lines = text.split('\n');
    this.partial = (lines.pop() ?? '').slice(-MAX_LINE_CHARS);
    for (const line of lines) this.emit(line);
  }

  flush(): void {
    if (this.partial) this.emit(this.partial);
    this.partial = '';
  }

  private emit(raw: string): void {
    const line = raw.replace(/\r$/, '').slice(0, MAX_LINE_CHARS);
    if (line.trim() === '') return;
    this.last = line;
    const now = Date.now();
    if (now - this.windowStart >= 1000) {
      if (this.dropped > 0) this.log.warn('Dropped stderr lines over the rate limit', { server: this.server, dropped: this.dropped });
      this.windowStart = now;
      this.linesInWindow = 0;
      this.dropped = 0;
    }
    if (++this.linesInWindow > MAX_LINES_PER_SECOND) {
      this.dropped += 1;
      return;
    }
    this.log.info(line, { server: this.server, stream: 'stderr' });
  }
}
