// Streaming first and second moments of paired row blocks (x: rows×p, y: rows×q), so
// ridge and canonical-correlation maps can be fitted out of core, batch by batch. Sums are
// kept around a shift (the first row) for numerical stability.

/** Rows per block in CrossMoments.add. */
const BLOCK = 64;

/** Σ_r a[ia + r]·b[ib + r] over n entries, four at a time. */
function dot(a: Float64Array, ia: number, b: Float64Array, ib: number, n: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let r = 0;
  for (; r + 4 <= n; r += 4) {
    s0 += a[ia + r]! * b[ib + r]!;
    s1 += a[ia + r + 1]! * b[ib + r + 1]!;
    s2 += a[ia + r + 2]! * b[ib + r + 2]!;
    s3 += a[ia + r + 3]! * b[ib + r + 3]!;
  }
  for (; r < n; r++) s0 += a[ia + r]! * b[ib + r]!;
  return s0 + s1 + s2 + s3;
}

export class CrossMoments {
  n = 0;
  private readonly shiftX: Float64Array;
  private readonly shiftY: Float64Array;
  private shifted = false;
  readonly sx: Float64Array;
  readonly sy: Float64Array;
  /** p×p, upper triangle accumulated; mirrored on read. */
  private readonly sxx: Float64Array;
  readonly sxy: Float64Array;
  /** q×q, only when asked for (canonical correlation needs it). */
  private readonly syy: Float64Array | null;
  /** One block of rows of x and y, transposed and shifted (add's scratch, reused across calls). */
  private readonly xt: Float64Array;
  private readonly yt: Float64Array;

  constructor(
    readonly p: number,
    readonly q: number,
    withYY = false,
  ) {
    this.shiftX = new Float64Array(p);
    this.shiftY = new Float64Array(q);
    this.sx = new Float64Array(p);
    this.sy = new Float64Array(q);
    this.sxx = new Float64Array(p * p);
    this.sxy = new Float64Array(p * q);
    this.syy = withYY ? new Float64Array(q * q) : null;
    this.xt = new Float64Array(p * BLOCK);
    this.yt = new Float64Array(q * BLOCK);
  }

  /**
   * Adds `rows` rows. Rows go in blocks of up to BLOCK, transposed and shifted, and every entry of
   * Σ xxᵀ, Σ xyᵀ (and Σ yyᵀ) gets one dot product over the block: the p×p sums are read and
   * written once per block rather than once per row (at p = 1 024 they are 8 MiB, far beyond the
   * caches, so the row-by-row update was bound by memory: minutes for a 768-d run).
   */
  add(x: ArrayLike<number>, y: ArrayLike<number>, rows: number): void {
    const { p, q } = this;
    if (!this.shifted && rows > 0) {
      for (let i = 0; i < p; i++) this.shiftX[i] = x[i]!;
      for (let j = 0; j < q; j++) this.shiftY[j] = y[j]!;
      this.shifted = true;
    }
    const { xt, yt } = this;
    for (let r0 = 0; r0 < rows; r0 += BLOCK) {
      const nb = Math.min(BLOCK, rows - r0);
      for (let r = 0; r < nb; r++) {
        const ox = (r0 + r) * p;
        for (let i = 0; i < p; i++) xt[i * nb + r] = x[ox + i]! - this.shiftX[i]!;
        const oy = (r0 + r) * q;
        for (let j = 0; j < q; j++) yt[j * nb + r] = y[oy + j]! - this.shiftY[j]!;
      }
      for (let i = 0; i < p; i++) {
        const a = i * nb;
        let s = 0;
        let nz = false;
        for (let r = 0; r < nb; r++) {
          s += xt[a + r]!;
          nz ||= xt[a + r]! !== 0;
        }
        this.sx[i]! += s;
        if (!nz) continue; // a coordinate that is zero on every row of the block adds nothing
        const row = i * p;
        for (let k = i; k < p; k++) this.sxx[row + k]! += dot(xt, a, xt, k * nb, nb);
        const rowy = i * q;
        for (let j = 0; j < q; j++) this.sxy[rowy + j]! += dot(xt, a, yt, j * nb, nb);
      }
      for (let j = 0; j < q; j++) {
        let s = 0;
        for (let r = 0; r < nb; r++) s += yt[j * nb + r]!;
        this.sy[j]! += s;
      }
      if (this.syy) {
        for (let j = 0; j < q; j++) {
          const row = j * q;
          for (let k = j; k < q; k++) this.syy[row + k]! += dot(yt, j * nb, yt, k * nb, nb);
        }
      }
    }
    this.n += rows;
  }

  meanX(): Float64Array {
    return Float64Array.from(this.sx, (s, i) => s / this.n + this.shiftX[i]!);
  }

  meanY(): Float64Array {
    return Float64Array.from(this.sy, (s, j) => s / this.n + this.shiftY[j]!);
  }

  /** Covariance of x (p×p, divided by n). */
  covXX(): Float64Array {
    return symmetricCov(this.sxx, this.sx, this.sx, this.p, this.n);
  }

  covYY(): Float64Array {
    if (!this.syy) throw new Error('CrossMoments: constructed without y×y moments');
    return symmetricCov(this.syy, this.sy, this.sy, this.q, this.n);
  }

  /** Cross-covariance (p×q). */
  covXY(): Float64Array {
    const { p, q, n } = this;
    const out = new Float64Array(p * q);
    for (let i = 0; i < p; i++) for (let j = 0; j < q; j++) out[i * q + j] = (this.sxy[i * q + j]! - (this.sx[i]! * this.sy[j]!) / n) / n;
    return out;
  }
}

function symmetricCov(upper: Float64Array, s1: Float64Array, s2: Float64Array, p: number, n: number): Float64Array {
  const out = new Float64Array(p * p);
  for (let i = 0; i < p; i++) {
    for (let k = i; k < p; k++) {
      const v = (upper[i * p + k]! - (s1[i]! * s2[k]!) / n) / n;
      out[i * p + k] = v;
      out[k * p + i] = v;
    }
  }
  return out;
}
