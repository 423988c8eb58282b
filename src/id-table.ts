/**
 * Entries keyed by a JSON-RPC id (a string or a number), for the tables that gain one entry and
 * lose it again on every call for as long as the gateway runs (requests in flight). Not a `Map`:
 * V8 rebuilds a Map's hash table every few calls under that churn, and the table it leaves behind
 * keeps pointing at its successor and at the entries it held. Once such an obsolete table has
 * reached the old generation, every young object it points to survives each scavenge, is promoted
 * in turn, and holds the next ones: the calls' objects pile up in the old generation until a full
 * collection (`docs/performance.md`, sixth round: ~700 KB promoted per scavenge in a plain script
 * of this shape against ~1 KB without the Map). A dictionary-mode object keeps no such chain.
 */
export type Id = string | number;

/** Largest array index: numbers up to it are element keys, which V8 never turns into strings. */
const MAX_INDEX = 2 ** 32 - 2;

export class IdTable<V> {
  /**
   * Ids that are array indices (the gateway's own request ids, most clients' ids): element keys of
   * a dictionary, so a call costs no string. Every other id is a property key, `n<id>` or `s<id>`,
   * which V8 must internalize (a string-table lookup, and a string in the old generation for every
   * new id): ~0.5 µs per entry's life, measured in a plain script.
   */
  private indexed: Record<number, V> = Object.create(null) as Record<number, V>;
  private named: Record<string, V> = Object.create(null) as Record<string, V>;

  /** Counted when asked (diagnostics, tests): the per-call operations keep no tally. */
  get size(): number {
    return this.values().length;
  }

  get(id: Id): V | undefined {
    return isIndex(id) ? this.indexed[id] : this.named[nameOf(id)];
  }

  has(id: Id): boolean {
    return isIndex(id) ? id in this.indexed : nameOf(id) in this.named;
  }

  set(id: Id, value: V): void {
    if (isIndex(id)) this.indexed[id] = value;
    else this.named[nameOf(id)] = value;
  }

  /** Whether `id` was there. */
  delete(id: Id): boolean {
    const store: Record<string | number, V> = isIndex(id) ? this.indexed : this.named;
    const key = isIndex(id) ? id : nameOf(id);
    if (!(key in store)) return false;
    delete store[key];
    return true;
  }

  values(): V[] {
    return [...Object.values(this.indexed), ...Object.values(this.named)];
  }

  clear(): void {
    this.indexed = Object.create(null) as Record<number, V>;
    this.named = Object.create(null) as Record<string, V>;
  }
}

function isIndex(id: Id): id is number {
  return typeof id === 'number' && Number.isInteger(id) && id >= 0 && id <= MAX_INDEX;
}

/** Ids 1 and "1" are different requests: the key says which kind it is. */
function nameOf(id: Id): string {
  return typeof id === 'number' ? `n${id}` : `s${id}`;
}
