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

export class IdTable<V> {
  private entries: Record<string, V> = Object.create(null) as Record<string, V>;
  private count = 0;

  get size(): number {
    return this.count;
  }

  get(id: Id): V | undefined {
    return this.entries[keyOf(id)];
  }

  has(id: Id): boolean {
    return keyOf(id) in this.entries;
  }

  set(id: Id, value: V): void {
    const key = keyOf(id);
    if (!(key in this.entries)) this.count += 1;
    this.entries[key] = value;
  }

  delete(id: Id): boolean {
    const key = keyOf(id);
    if (!(key in this.entries)) return false;
    delete this.entries[key];
    this.count -= 1;
    return true;
  }

  values(): V[] {
    return Object.values(this.entries);
  }

  clear(): void {
    this.entries = Object.create(null) as Record<string, V>;
    this.count = 0;
  }
}

/** Ids 1 and "1" are different requests: the key says which kind it is. */
function keyOf(id: Id): string {
  return typeof id === 'number' ? `n${id}` : `s${id}`;
}
