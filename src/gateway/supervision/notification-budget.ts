import type { Logger } from '../../observability/logger.js';

const RATE_PER_SECOND = 200;
const BURST = 1000;

/**
 * Token bucket for notifications a downstream pushes to the agent, so a server that floods
 * logging or update notifications cannot grow our stdout queue without bound.
 */
export class NotificationBudget {
  private tokens = BURST;
  private last = Date.now();
  private dropped = 0;

  constructor(
    private readonly server: string,
    private readonly log: Logger,
  ) {}

  take(): boolean {
    const now = Date.now();
    this.tokens = Math.min(BURST, this.tokens + ((now - this.last) / 1000) * RATE_PER_SECOND);
    this.last = now;
    if (this.tokens >= 1) {
      if (this.dropped > 0) {
        this.log.warn('Dropped notifications over the rate limit', { server: this.server, dropped: this.dropped });
        this.dropped = 0;
      }
      this.tokens -= 1;
      return true;
    }
    this.dropped += 1;
    return false;
  }
}
