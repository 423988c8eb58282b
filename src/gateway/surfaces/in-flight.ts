/** Requests being answered, so shutdown can wait for them (up to a bound) instead of polling. */
export class InFlight {
  count = 0;
  /** False once shutdown began: new calls are refused. */
  accepting = true;
  private waiters: (() => void)[] = [];

  /**
   * Counts `work` while it runs. A reaction rather than an async frame: this wraps every governed
   * call, and the frame and its await cost more than two handlers made once per instance.
   */
  track<T>(work: () => Promise<T>): Promise<T> {
    this.count += 1;
    let running: Promise<T>;
    try {
      running = work();
    } catch (error) {
      this.leave();
      return Promise.reject(error);
    }
    return Promise.resolve(running).then(this.leftWith as (value: T) => T, this.leftThrowing);
  }

  private readonly leftWith = <T>(value: T): T => {
    this.leave();
    return value;
  };

  private readonly leftThrowing = (error: unknown): never => {
    this.leave();
    throw error;
  };

  private leave(): void {
    this.count -= 1;
    if (this.count === 0) this.waiters.splice(0).forEach((resolve) => resolve());
  }

  /** Resolves when nothing is in flight, or after `timeoutMs`, whichever comes first. */
  drained(timeoutMs: number): Promise<void> {
    if (this.count === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}
