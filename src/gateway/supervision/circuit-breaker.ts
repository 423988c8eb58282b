export type CircuitState = 'closed' | 'open' | 'half-open';

export interface CircuitOptions {
  /** Consecutive failures that open the circuit. */
  readonly failureThreshold: number;
  /** How long the circuit stays open before admitting probes. */
  readonly cooldownMs: number;
  /** Probes admitted at once while half-open (default 1). */
  readonly halfOpenMaxCalls?: number;
  /** Whether a call that timed out counts as a failure (default true). */
  readonly countTimeouts?: boolean;
}

/**
 * Per-server circuit breaker: opens after consecutive failures, admits a bounded number of probes
 * (one by default) when half-open, closes on a probe's success and re-opens on a probe's failure.
 */
export class CircuitBreaker {
  private state: CircuitState = 'closed';
  private failures = 0;
  private openedAt = 0;
  private probesInFlight = 0;

  constructor(
    private readonly options: () => CircuitOptions,
    private readonly onChange: (from: CircuitState, to: CircuitState) => void = () => {},
    private readonly now: () => number = Date.now,
  ) {}

  get current(): CircuitState {
    if (this.state === 'open' && this.now() - this.openedAt >= this.options().cooldownMs) this.move('half-open');
    return this.state;
  }

  /** May a call go through now? In half-open state only one probe is admitted. */
  tryAcquire(): boolean {
    const state = this.current;
    switch (state) {
      case 'closed':
        return true;
      case 'open':
        return false;
      case 'half-open':
        if (this.probesInFlight >= (this.options().halfOpenMaxCalls ?? 1)) return false;
        this.probesInFlight += 1;
        return true;
      default: {
        const never: never = state;
        return never;
      }
    }
  }

  recordSuccess(): void {
    this.failures = 0;
    this.probesInFlight = 0;
    if (this.state !== 'closed') this.move('closed');
  }

  /** The admitted call never reached the server (denied later in the chain): neither success nor failure. */
  release(): void {
    if (this.probesInFlight > 0) this.probesInFlight -= 1;
  }

  recordFailure(): void {
    this.probesInFlight = 0;
    this.failures += 1;
    if (this.state === 'half-open' || (this.state === 'closed' && this.failures >= this.options().failureThreshold)) {
      this.openedAt = this.now();
      this.move('open');
    }
  }

  private move(to: CircuitState): void {
    const from = this.state;
    if (from === to) return;
    this.state = to;
    this.onChange(from, to);
  }
}
