/**
 * Trace and span ids for rea's spans, sliced from random bytes hex-encoded 8 KB at a time: ~25 ns an
 * id, where the SDK's generator writes Math.random() into a buffer and hex-encodes it for each id
 * (~130 ns, and a durable request takes four: issue 13's CPU budget). The bytes come from the
 * system's CSPRNG. An all-zero id is invalid (W3C Trace Context), so one is never handed out.
 */
import { randomFillSync } from 'node:crypto';
import type { IdGenerator } from '@opentelemetry/sdk-trace';

const POOL_BYTES = 8192;
const ZERO_SPAN_ID = '0'.repeat(16);
const ZERO_TRACE_ID = '0'.repeat(32);

export class PooledIdGenerator implements IdGenerator {
  private hex = '';
  private at = 0;

  /** `fill` is the random source; tests pass their own. */
  constructor(private readonly fill: (buffer: Buffer) => Buffer = randomFillSync) {}

  generateTraceId(): string {
    return this.next(32, ZERO_TRACE_ID);
  }

  generateSpanId(): string {
    return this.next(16, ZERO_SPAN_ID);
  }

  private next(chars: number, zero: string): string {
    for (;;) {
      if (this.at + chars > this.hex.length) {
        this.hex = this.fill(Buffer.allocUnsafe(POOL_BYTES)).toString('hex');
        this.at = 0;
      }
      const id = this.hex.slice(this.at, this.at + chars);
      this.at += chars;
      if (id !== zero) return id;
    }
  }
}
