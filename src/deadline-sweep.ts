/**
 * One timer for many deadlines: audit appends waiting for the disk, requests waiting for a
 * downstream's answer. A timer set and cleared per item cost more than the rest of the item's
 * bookkeeping on the gateway's hot path. The timer fires at the earliest deadline, hands every item
 * that is due to `due`, and re-arms for the next; items settled in time leave through `forget`. A
 * deadline may move later (an idle timeout restarted by progress): the sweep finds it not yet due.
 */
export class DeadlineSweep<T extends { readonly deadline: number }> {
  private readonly live = new Set<T>();
  private timer: NodeJS.Timeout | undefined;
  private armedFor = Number.POSITIVE_INFINITY;

  constructor(private readonly due: (item: T) => void) {}

  /** Starts (or, after its deadline moved, re-checks) watching `item`. */
  watch(item: T): void {
    this.live.add(item);
    if (item.deadline < this.armedFor) this.arm(item.deadline);
    else if (this.live.size === 1) this.timer?.ref();
  }

  /**
   * `item` settled, however it did. The timer stays armed (re-arming it per item is the cost this
   * class saves) but stops holding the process open while nothing waits.
   */
  forget(item: T): void {
    if (this.live.delete(item) && this.live.size === 0) this.timer?.unref();
  }

  private arm(at: number): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.armedFor = at;
    this.timer = setTimeout(() => this.sweep(), Math.max(0, at - Date.now()));
  }

  private sweep(): void {
    this.timer = undefined;
    this.armedFor = Number.POSITIVE_INFINITY;
    const now = Date.now();
    let next = Number.POSITIVE_INFINITY;
    for (const item of [...this.live]) {
      if (item.deadline <= now) {
        this.live.delete(item);
        this.due(item);
      } else if (item.deadline < next) next = item.deadline;
    }
    if (next !== Number.POSITIVE_INFINITY) this.arm(next);
  }
}
