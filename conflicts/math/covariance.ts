// Streaming first and second moments of paired row blocks (x: rows×p, y: rows×q), so
// ridge and canonical-correlation maps can be fitted out of core, batch by batch. Sums are
// kept around a shift (the first row) for numerical stability.

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
  }

  add(x: ArrayLike<number>, y: ArrayLike<number>, rows: number): void {
    const { p, q } = this;
    if (!this.shifted && rows > 0) {
      for (let i = 0; i < p; i++) this.shiftX[i] = x[i]!;
      for (let j = 0; j < q; j++) this.shiftY[j] = y[j]!;
      this.shifted = true;
    }
    const dx = new Float64Array(p);
    const dy = new Float64Array(q);
    for (let r = 0; r < rows; r++) {
      for (let i = 0; i < p; i++) dx[i] = x[r * p + i]! - this.shiftX[i]!;
      for (let j = 0; j < q; j++) dy[j] = y[r * q + j]! - this.shiftY[j]!;
      for (let i = 0; i < p; i++) {
        const xi = dx[i]!;
        this.sx[i]! += xi;
        if (xi === 0) continue;
        const row = i * p;
        for (let k = i; k < p; k++) this.sxx[row + k]! += xi * dx[k]!;
        const rowy = i * q;
        for (let j = 0; j < q; j++) this.sxy[rowy + j]! += xi * dy[j]!;
      }
      for (let j = 0; j < q; j++) this.sy[j]! += dy[j]!;
      if (this.syy) {
        for (let j = 0; j < q; j++) {
          const yj = dy[j]!;
          if (yj === 0) continue;
          for (let k = j; k < q; k++) this.syy[j * q + k]! += yj * dy[k]!;
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
