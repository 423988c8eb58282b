const BASE_MS = 250;
const MAX_MS = 30_000;

/** Exponential restart backoff with jitter; resets once a start succeeds. */
export class Backoff {
  private attempt = 0;

  next(): number {
    const ceiling = Math.min(MAX_MS, BASE_MS * 2 ** this.attempt);
    this.attempt += 1;
    return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
  }

  succeeded(): void {
    this.attempt = 0;
  }
}
