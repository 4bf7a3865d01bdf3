// The (episode, step) keys of one stream seen so far, to find a repeated key anywhere in
// the stream, not only next to its twin. Keys that arrive increasing (what every
// thoughtlens recorder writes) are checked against the last one and kept as runs of
// consecutive steps (16 bytes per episode); the first key out of order switches to an
// open-addressing hash set of every key so far (about 20 bytes per row).

export class StepKeySet {
  /**
   * While keys increase: runs of consecutive steps of one episode, 4 ints each (episode,
   * first step, last step, row of the first step). A recorder's usual (e, 0…T-1) is one run
   * per episode, so memory grows with episodes, not steps.
   */
  private runs: Int32Array | null = new Int32Array(4 * 256);
  private nRuns = 0;
  /** First row of each key, parallel to the hash slots (after the first key out of order). */
  private slots: Int32Array | null = null;
  private rows: Int32Array | null = null;
  private used: Uint8Array | null = null;
  private mask = 0;
  size = 0;

  /**
   * Adds the key of row `row`; returns -1, or the row where this key was seen first.
   * Rows are 0, 1, 2, … in the order they are added.
   */
  add(episode: number, step: number, row: number): number {
    const r = this.runs;
    if (r) {
      const n = this.nRuns;
      const at = 4 * (n - 1);
      if (n > 0 && episode === r[at]! && step === r[at + 2]! + 1 && step > r[at + 2]!) {
        r[at + 2] = step;
        this.size++;
        return -1;
      }
      if (n === 0 || episode > r[at]! || (episode === r[at]! && step > r[at + 2]!)) {
        if (4 * n + 4 > r.length) {
          const grown = new Int32Array(r.length * 2);
          grown.set(r);
          this.runs = grown;
        }
        this.runs!.set([episode, step, step, row], 4 * n);
        this.nRuns++;
        this.size++;
        return -1;
      }
      // Out of order: the key may repeat an earlier one (binary search, runs are sorted).
      const seen = this.search(episode, step);
      if (seen >= 0) return seen;
      this.toHash();
    }
    return this.insert(episode, step, row);
  }

  /** True when (episode, step) comes after every key added so far (so it cannot repeat one). */
  afterAll(episode: number, step: number): boolean {
    const r = this.runs;
    if (!r) return false;
    if (this.nRuns === 0) return true;
    const at = 4 * (this.nRuns - 1);
    return episode > r[at]! || (episode === r[at]! && step > r[at + 2]!);
  }

  /** The row where this key was added, or -1 (nothing is added). */
  find(episode: number, step: number): number {
    if (this.runs) return this.search(episode, step);
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
    const r = this.runs!;
    let lo = 0;
    let hi = this.nRuns - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const e = r[4 * mid]!;
      const s0 = r[4 * mid + 1]!;
      const s1 = r[4 * mid + 2]!;
      if (e === episode && step >= s0 && step <= s1) return r[4 * mid + 3]! + (step - s0);
      if (e < episode || (e === episode && s1 < step)) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  private toHash(): void {
    const r = this.runs!;
    const n = this.nRuns;
    const total = this.size;
    this.runs = null;
    this.allocate(Math.max(1024, total * 2));
    this.size = 0;
    for (let k = 0; k < n; k++) {
      const e = r[4 * k]!;
      for (let s = r[4 * k + 1]!, row = r[4 * k + 3]!; s <= r[4 * k + 2]!; s++, row++) this.insert(e, s, row);
    }
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
