// The (episode, step) keys of one stream seen so far, to find a repeated key anywhere in
// the stream, not only next to its twin. Keys that arrive strictly increasing (what every
// thoughtlens recorder writes) are checked against the last one and stored compactly;
// the first key out of order switches to an open-addressing hash set of every key so far.
// Memory: 8 bytes per row while in order, about 20 bytes per row after.

export class StepKeySet {
  /** Keys in order of arrival while they increase: episode at 2i, step at 2i+1. */
  private sorted: Int32Array | null = new Int32Array(1024);
  /** First row of each key, parallel to the hash slots (or, while sorted, implicit). */
  private slots: Int32Array | null = null;
  private rows: Int32Array | null = null;
  private used: Uint8Array | null = null;
  private mask = 0;
  size = 0;

  /**
   * Adds the key of row `row`; returns -1, or the row where this key was seen first.
   * Rows must be added in increasing order.
   */
  add(episode: number, step: number, row: number): number {
    const s = this.sorted;
    if (s) {
      const n = this.size;
      if (n === 0 || episode > s[2 * n - 2]! || (episode === s[2 * n - 2]! && step > s[2 * n - 1]!)) {
        if (2 * n + 2 > s.length) {
          const grown = new Int32Array(s.length * 2);
          grown.set(s);
          this.sorted = grown;
        }
        this.sorted![2 * n] = episode;
        this.sorted![2 * n + 1] = step;
        this.size++;
        return -1;
      }
      // Out of order: the key may repeat an earlier one (binary search, keys are sorted).
      const at = this.search(episode, step);
      if (at >= 0) return at;
      this.toHash();
    }
    return this.insert(episode, step, row);
  }

  /** The row where this key was added, or -1 (nothing is added). */
  find(episode: number, step: number): number {
    if (this.sorted) return this.search(episode, step);
    const slots = this.slots!;
    const used = this.used!;
    let i = hash(episode, step) & this.mask;
    while (used[i]) {
      if (slots[2 * i] === episode && slots[2 * i + 1] === step) return this.rows![i]!;
      i = (i + 1) & this.mask;
    }
    return -1;
  }

  private search(episode: number, step: number): number {
    const s = this.sorted!;
    let lo = 0;
    let hi = this.size - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const e = s[2 * mid]!;
      const t = s[2 * mid + 1]!;
      if (e === episode && t === step) return mid; // rows equal indices while in order
      if (e < episode || (e === episode && t < step)) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  private toHash(): void {
    const s = this.sorted!;
    const n = this.size;
    this.sorted = null;
    this.allocate(Math.max(1024, n * 2));
    this.size = 0;
    for (let i = 0; i < n; i++) this.insert(s[2 * i]!, s[2 * i + 1]!, i);
  }

  private allocate(minSlots: number): void {
    let cap = 1024;
    while (cap < minSlots) cap *= 2;
    this.slots = new Int32Array(cap * 2);
    this.rows = new Int32Array(cap);
    this.used = new Uint8Array(cap);
    this.mask = cap - 1;
  }

  private insert(episode: number, step: number, row: number): number {
    if ((this.size + 1) * 2 > this.mask + 1) this.grow();
    const slots = this.slots!;
    const used = this.used!;
    let i = hash(episode, step) & this.mask;
    while (used[i]) {
      if (slots[2 * i] === episode && slots[2 * i + 1] === step) return this.rows![i]!;
      i = (i + 1) & this.mask;
    }
    used[i] = 1;
    slots[2 * i] = episode;
    slots[2 * i + 1] = step;
    this.rows![i] = row;
    this.size++;
    return -1;
  }

  private grow(): void {
    const slots = this.slots!;
    const used = this.used!;
    const rows = this.rows!;
    const n = this.size;
    this.allocate((this.mask + 1) * 2);
    this.size = 0;
    for (let i = 0; i < used.length; i++) if (used[i]) this.insert(slots[2 * i]!, slots[2 * i + 1]!, rows[i]!);
    this.size = n;
  }
}

function hash(e: number, s: number): number {
  let h = Math.imul(e ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(s, 0xc2b2ae35);
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  return (h ^ (h >>> 15)) >>> 0;
}
