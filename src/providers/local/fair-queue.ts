/**
 * Jobs waiting for an engine worker, one FIFO lane per client, served in turn: a client that
 * sends 40 cards at once waits behind its own cards, not in front of everyone else's. Within a
 * lane the order is first come, first served; across lanes, round robin.
 */
export class FairQueue<T> {
  // A Map keeps insertion order: the first lane is the next to be served, and a lane served goes last.
  readonly #lanes = new Map<string, T[]>();
  #length = 0;

  get length(): number {
    return this.#length;
  }

  push(lane: string, item: T): void {
    const items = this.#lanes.get(lane);
    if (items) items.push(item);
    else this.#lanes.set(lane, [item]);
    this.#length++;
  }

  /** The next item, from the lane whose turn it is. */
  shift(): T | undefined {
    const first = this.#lanes.entries().next();
    if (first.done) return undefined;
    const [lane, items] = first.value;
    const item = items.shift()!;
    this.#lanes.delete(lane);
    if (items.length > 0) this.#lanes.set(lane, items);
    this.#length--;
    return item;
  }

  /** Takes one item out wherever it waits; false when it is not waiting (already served). */
  remove(item: T): boolean {
    for (const [lane, items] of this.#lanes) {
      const at = items.indexOf(item);
      if (at === -1) continue;
      items.splice(at, 1);
      if (items.length === 0) this.#lanes.delete(lane);
      this.#length--;
      return true;
    }
    return false;
  }

  /** Every waiting item, in no particular order; the queue is left empty. */
  drain(): T[] {
    const all = [...this.#lanes.values()].flat();
    this.#lanes.clear();
    this.#length = 0;
    return all;
  }
}
