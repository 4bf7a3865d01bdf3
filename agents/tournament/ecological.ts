// Ecological (replicator) dynamics over a tournament's payoff matrix, as the Axelrod
// library's Ecosystem: shares x_i grow in proportion to fitness f_i = Σ_j x_j·M_ij. Payoffs
// are shifted by −S = +1 so that every fitness is ≥ 0 (T, R, P, S = 3, 2, 1, 0), as replicator
// dynamics need. An invasion run starts one player at `invaderShare` and the rest equal.
import { S } from '../ipd/payoffs.js';
import type { TournamentResult } from './tournament.js';

export interface EcologyOptions {
  generations?: number;
  /** Generations at which shares are recorded (the last generation is always recorded). */
  record?: number[];
  invaderShare?: number;
}

export interface EcologyRun {
  start: number[];
  /** [generation, shares][] */
  trajectory: { generation: number; shares: number[] }[];
  final: number[];
}

export interface Invasion {
  player: string;
  start: number;
  final: number;
  /** Its share grew. */
  invades: boolean;
}

export interface EcologyResult {
  generations: number;
  payoffShift: number;
  players: string[];
  fromUniform: EcologyRun;
  invasions: Invasion[];
}

export function replicate(matrix: readonly (readonly number[])[], start: readonly number[], generations: number, record: readonly number[] = []): EcologyRun {
  const n = start.length;
  const shift = -S;
  let x = start.slice();
  const marks = new Set([...record, generations]);
  const trajectory: EcologyRun['trajectory'] = [{ generation: 0, shares: x.slice() }];
  for (let g = 1; g <= generations; g++) {
    const f = x.map((_, i) => x.reduce((s, xj, j) => s + xj * (matrix[i]![j]! + shift), 0));
    const mean = x.reduce((s, xi, i) => s + xi * f[i]!, 0);
    if (!(mean > 0)) break;
    x = x.map((xi, i) => (xi * f[i]!) / mean);
    if (marks.has(g)) trajectory.push({ generation: g, shares: x.slice() });
  }
  return { start: start.slice(), trajectory, final: x.slice(0, n) };
}

export function ecology(t: TournamentResult, players: readonly { name: string; kind: 'agent' | 'strategy' }[], opts: EcologyOptions = {}): EcologyResult {
  const G = opts.generations ?? 1000;
  const record = opts.record ?? [10, 50, 100, 500];
  const N = t.players.length;
  const fromUniform = replicate(t.payoffMatrix, new Array<number>(N).fill(1 / N), G, record);
  const eps = opts.invaderShare ?? 0.01;
  const invasions = players.flatMap((p) => {
    if (p.kind !== 'agent') return [];
    const i = t.players.indexOf(p.name);
    const start = t.players.map((_, j) => (j === i ? eps : (1 - eps) / (N - 1)));
    const run = replicate(t.payoffMatrix, start, G);
    return [{ player: p.name, start: eps, final: run.final[i]!, invades: run.final[i]! > eps }];
  });
  return { generations: G, payoffShift: -S, players: t.players.slice(), fromUniform, invasions };
}
