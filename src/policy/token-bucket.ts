/** A token bucket: `rate` tokens per second refill up to `burst`. Time comes in from the caller (ms). */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    readonly rate: number,
    readonly burst: number,
    now: number,
  ) {
    this.tokens = burst;
    this.last = now;
  }

  /** Take one token if there is one. */
  tryTake(now: number): boolean {
    const elapsed = Math.max(0, now - this.last);
    this.last = now;
    this.tokens = Math.min(this.burst, this.tokens + (elapsed * this.rate) / 1000);
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Give back a token taken for a call that another limit then refused. */
  refund(): void {
    this.tokens = Math.min(this.burst, this.tokens + 1);
  }
}

/** Default burst for a rate: one second's worth, at least one call. */
export function defaultBurst(rate: number): number {
  return Math.max(1, Math.ceil(rate));
}

/** Calls running at once for one key. */
export class InFlightCounter {
  private running = 0;

  get count(): number {
    return this.running;
  }

  tryAcquire(max: number): boolean {
    if (this.running >= max) return false;
    this.running += 1;
    return true;
  }

  release(): void {
    if (this.running > 0) this.running -= 1;
  }
}
