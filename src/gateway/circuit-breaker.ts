export type CircuitState = 'closed' | 'open' | 'half-open';

export interface CircuitOptions {
  /** Consecutive failures that open the circuit. */
  readonly failureThreshold: number;
  /** How long the circuit stays open before admitting one probe. */
  readonly cooldownMs: number;
}

export const DEFAULT_CIRCUIT: CircuitOptions = { failureThreshold: 5, cooldownMs: 30_000 };

/**
 * Per-server circuit breaker: opens after consecutive failures, admits exactly one probe when
 * half-open, closes on the probe's success and re-opens on its failure.
 */
export class CircuitBreaker {
  private state: CircuitState = 'closed';
  private failures = 0;
  private openedAt = 0;
  private probeInFlight = false;

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
        if (this.probeInFlight) return false;
        this.probeInFlight = true;
        return true;
      default: {
        const never: never = state;
        return never;
      }
    }
  }

  recordSuccess(): void {
    this.failures = 0;
    this.probeInFlight = false;
    if (this.state !== 'closed') this.move('closed');
  }

  /** The admitted call never reached the server (denied later in the chain): neither success nor failure. */
  release(): void {
    this.probeInFlight = false;
  }

  recordFailure(): void {
    this.probeInFlight = false;
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
