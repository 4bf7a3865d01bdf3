// Zero-determinant memory-one strategies (Press & Dyson 2012, PNAS 109:10409). With the
// project's payoffs T = 2, R = 1, P = 0, S = −1 (agents/ipd/payoffs.ts), a ZD player X whose
// P(cooperate) after outcome (own, other) ∈ (CC, CD, DC, DD) is p enforces
//   s_X − κ = χ·(s_Y − κ)
// on the long-run payoffs against ANY co-player Y, when
//   p − (1, 1, 0, 0) = φ·[(S_X − κ·1) − χ·(S_Y − κ·1)],  S_X = (R, S, T, P), S_Y = (R, T, S, P).
// Extortion: κ = P (p_DD = 0); generous ZD: κ = R (p_CC = 1); χ ≥ 1; φ ∈ (0, φ_max] keeps p a
// probability vector.
import { P, R, S, T } from '../ipd/payoffs.js';

export type ZdFamily = 'extortion' | 'generous';

export interface ZdStrategy {
  family: ZdFamily;
  chi: number;
  kappa: number;
  phi: number;
  /** P(C) after CC, CD, DC, DD (own move first). */
  p: [number, number, number, number];
}

/** The largest φ for which every entry of p stays in [0, 1] (χ ≥ 1). */
export function zdPhiMax(chi: number, kappa: number): number {
  const { a, b } = zdLine(chi, kappa);
  let max = Infinity;
  for (let i = 0; i < 4; i++) {
    if (b[i]! > 0) max = Math.min(max, (1 - a[i]!) / b[i]!);
    else if (b[i]! < 0) max = Math.min(max, a[i]! / -b[i]!);
  }
  return max;
}

/** A ZD strategy with φ = phiFraction·φ_max (phiFraction in (0, 1]). */
export function zdStrategy(family: ZdFamily, chi: number, phiFraction: number): ZdStrategy {
  const kappa = family === 'extortion' ? P : R;
  const phi = phiFraction * zdPhiMax(chi, kappa);
  const { a, b } = zdLine(chi, kappa);
  const p = a.map((ai, i) => clamp01(ai + phi * b[i]!)) as [number, number, number, number];
  return { family, chi, kappa, phi, p };
}

function zdLine(chi: number, kappa: number): { a: number[]; b: number[] } {
  const sx = [R, S, T, P];
  const sy = [R, T, S, P];
  return { a: [1, 1, 0, 0], b: sx.map((x, i) => x - kappa - chi * (sy[i]! - kappa)) };
}

function clamp01(x: number): number {
  // round-off only: the entries are in [0, 1] by construction of φ_max
  return Math.min(1, Math.max(0, x));
}
