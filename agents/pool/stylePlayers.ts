// Runs co-player styles over many parallel episodes: one style and one machine state per
// episode, all in typed arrays. Moves are 0 = C, 1 = D.
import type { Rng } from '../../util/random.js';
import type { CompiledStyle } from './compileStyle.js';

export class StylePlayers {
  readonly n: number;
  readonly styleOf: Int32Array;
  private readonly state: Int32Array;
  private readonly left: Int32Array;
  private readonly coop: Float64Array;
  private readonly width: number;

  constructor(
    readonly styles: readonly CompiledStyle[],
    n: number,
    private readonly rng: Rng,
  ) {
    this.n = n;
    this.width = Math.max(1, ...styles.map((s) => s.nStates));
    this.styleOf = new Int32Array(n);
    this.state = new Int32Array(n);
    this.left = new Int32Array(n);
    this.coop = new Float64Array(n * this.width);
  }

  /** Starts every episode afresh with the given style indices. */
  reset(assign: ArrayLike<number>): void {
    for (let i = 0; i < this.n; i++) this.setStyle(i, assign[i]!);
  }

  /** Switches episode i to style s from its initial state (used for mid-episode switches too). */
  setStyle(i: number, s: number): void {
    const st = this.styles[s]!;
    this.styleOf[i] = s;
    const row = i * this.width;
    if (st.randomize === 'uniform') for (let k = 0; k < st.nStates; k++) this.coop[row + k] = this.rng.next();
    else if (st.randomize === 'binary') for (let k = 0; k < st.nStates; k++) this.coop[row + k] = this.rng.next() < 0.5 ? 0 : 1;
    else this.coop.set(st.coop, row);
    this.enter(i, st, st.initial);
  }

  private enter(i: number, st: CompiledStyle, s: number): void {
    this.state[i] = s;
    const lo = st.afterMin[s]!;
    this.left[i] = lo < 0 ? -1 : lo + this.rng.int(st.afterMax[s]! - lo + 1);
  }

  /** Writes each episode's move (0 = C, 1 = D) into out. */
  act(out: Int32Array | Uint8Array): void {
    for (let i = 0; i < this.n; i++) {
      const st = this.styles[this.styleOf[i]!]!;
      let d = this.rng.next() < this.coop[i * this.width + this.state[i]!]! ? 0 : 1;
      if (st.noise > 0 && this.rng.next() < st.noise) d = 1 - d;
      out[i] = d;
    }
  }

  /** Advances the machines after a round: own = the style's moves, other = the opponent's. */
  observe(own: ArrayLike<number>, other: ArrayLike<number>): void {
    for (let i = 0; i < this.n; i++) {
      const st = this.styles[this.styleOf[i]!]!;
      const s = this.state[i]!;
      const to = st.next[s * 4 + 2 * own[i]! + other[i]!]!;
      if (to >= 0 && to !== s) {
        this.enter(i, st, to);
        continue;
      }
      if (this.left[i]! > 0 && --this.left[i]! === 0) this.enter(i, st, st.afterTo[s]!);
    }
  }
}
