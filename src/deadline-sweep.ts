/**
 * One timer for many deadlines: audit appends waiting for the disk, requests waiting for a
 * downstream's answer. A timer set and cleared per item cost more than the rest of the item's
 * bookkeeping on the gateway's hot path. The timer fires at the earliest deadline, hands every item
 * that is due to `due`, and re-arms for the next; items settled in time leave through `forget`. A
 * deadline may move later (an idle timeout restarted by progress): the sweep finds it not yet due.
 */
/** What a sweep watches: its deadline, and the slot the sweep keeps it in while it does. */
export interface Watched {
  readonly deadline: number;
  /** Set and cleared by the sweep that watches the item. */
  sweepSlot?: number | undefined;
}

export class DeadlineSweep<T extends Watched> {
  /**
   * Items watched, in reusable slots (a settled item's slot is cleared and reused): every call
   * adds one and removes it again, and a Set under that churn drags each call's objects into V8's
   * old generation (src/id-table.ts says how).
   */
  private readonly slots: (T | undefined)[] = [];
  private readonly free: number[] = [];
  private count = 0;
  private timer: NodeJS.Timeout | undefined;
  private armedFor = Number.POSITIVE_INFINITY;

  constructor(private readonly due: (item: T) => void) {}

  /** Starts (or, after its deadline moved, re-checks) watching `item`. */
  watch(item: T): void {
    if (item.sweepSlot === undefined) {
      const slot = this.free.pop() ?? this.slots.length;
      this.slots[slot] = item;
      item.sweepSlot = slot;
      this.count += 1;
    }
    if (item.deadline < this.armedFor) this.arm(item.deadline);
    else if (this.count === 1) this.timer?.ref();
  }

  /**
   * `item` settled, however it did. The timer stays armed (re-arming it per item is the cost this
   * class saves) but stops holding the process open while nothing waits.
   */
  forget(item: T): void {
    const slot = item.sweepSlot;
    if (slot === undefined || this.slots[slot] !== item) return;
    this.slots[slot] = undefined;
    item.sweepSlot = undefined;
    this.free.push(slot);
    this.count -= 1;
    if (this.count === 0) this.timer?.unref();
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
    const expired: T[] = [];
    let next = Number.POSITIVE_INFINITY;
    for (const item of this.slots) {
      if (item === undefined) continue;
      if (item.deadline <= now) expired.push(item);
      else if (item.deadline < next) next = item.deadline;
    }
    for (const item of expired) {
      this.forget(item);
      this.due(item);
    }
    // A `due` handler may have watched something due sooner (and armed for it already).
    if (next < this.armedFor) this.arm(next);
  }
}
