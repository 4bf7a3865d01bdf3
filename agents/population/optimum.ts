// The exact benchmark: the best (and worst) expected payoff any agent can earn against a
// known co-player over a finite horizon, by dynamic programming over (round, co-player state).
//
// Every compiled style is a machine whose state moves deterministically on the joint outcome
// and whose move is drawn with P(C) = coop(state) (noise folded in: a flipped move is a move
// drawn with the flipped probability). The state is therefore a function of the joint history,
// which the agent observes: a deterministic FSM is solved exactly, and a stochastic memory-n
// style is the finite-horizon MDP whose state is its last n joint moves. Styles with a random
// timer (`after`) or a fresh random table per episode (`random-memory`) have hidden state and
// are refused.
import { PAYOFF } from '../ipd/payoffs.js';
import type { CompiledStyle } from '../pool/index.js';
import { OptimumError } from './optimumError.js';

export interface Optimum {
  style: string;
  horizon: number;
  /** Best expected total payoff over `horizon` rounds from the style's start. */
  best: number;
  /** Worst expected total payoff (the floor of the normalised fraction). */
  worst: number;
  nStates: number;
  /** Optimal action values: q[(t·nStates + s)·2 + a], a = 0 (C) or 1 (D), rounds still to play = horizon − t. */
  q: Float64Array;
}

/** P(C) per state with the style's noise folded in, and next states with "stay" (−1) resolved. */
export interface ExactMachine {
  nStates: number;
  initial: number;
  coop: Float64Array;
  next: Int32Array;
}

export function exactMachine(style: CompiledStyle): ExactMachine {
  if (style.randomize !== null) throw new OptimumError(`style "${style.name}" draws a fresh random table each episode (random-memory): it has no exact optimum`);
  if (style.afterMin.some((x) => x >= 0)) throw new OptimumError(`style "${style.name}" has a random timer ("after"): its state is hidden, so it has no exact optimum (use a "switch" style for a fixed switch round)`);
  const e = style.noise;
  const coop = style.coop.map((c) => c * (1 - e) + (1 - c) * e);
  const next = style.next.map((to, j) => (to < 0 ? Math.floor(j / 4) : to));
  return { nStates: style.nStates, initial: style.initial, coop, next };
}

/** Whether the exact benchmark applies to a style. */
export function hasExactOptimum(style: CompiledStyle): boolean {
  return style.randomize === null && style.afterMin.every((x) => x < 0);
}

export function optimum(style: CompiledStyle, horizon: number): Optimum {
  return machineOptimum(exactMachine(style), horizon, PAYOFF, style.name);
}

/**
 * The exact optimum against any co-player machine in any 2-action repeated game: `payoff` is
 * the agent's reward indexed 2·own + other (the prisoner's dilemma's PAYOFF by default).
 */
export function machineOptimum(m: ExactMachine, horizon: number, payoff: readonly number[] = PAYOFF, name = ''): Optimum {
  const q = solve(m, horizon, Math.max, payoff);
  const worst = solve(m, horizon, Math.min, payoff);
  const value = (qq: Float64Array, pick: (a: number, b: number) => number): number => pick(qq[m.initial * 2]!, qq[m.initial * 2 + 1]!);
  return { style: name, horizon, best: horizon === 0 ? 0 : value(q, Math.max), worst: horizon === 0 ? 0 : value(worst, Math.min), nStates: m.nStates, q };
}

/** Backward induction; pick = max (best response) or min (worst response). */
function solve(m: ExactMachine, horizon: number, pick: (a: number, b: number) => number, payoff: readonly number[]): Float64Array {
  const k = m.nStates;
  const q = new Float64Array(horizon * k * 2);
  let vNext = new Float64Array(k); // value with 0 rounds left
  for (let t = horizon - 1; t >= 0; t--) {
    const v = new Float64Array(k);
    for (let s = 0; s < k; s++) {
      const pc = m.coop[s]!;
      for (let a = 0; a < 2; a++) {
        // co-player's outcome index: own (co-player) move first, then ours
        const afterC = payoff[2 * a]! + vNext[m.next[s * 4 + a]!]!;
        const afterD = payoff[2 * a + 1]! + vNext[m.next[s * 4 + 2 + a]!]!;
        q[(t * k + s) * 2 + a] = pc * afterC + (1 - pc) * afterD;
      }
      v[s] = pick(q[(t * k + s) * 2]!, q[(t * k + s) * 2 + 1]!);
    }
    vNext = v;
  }
  return q;
}

/** (payoff − worst) / (best − worst): 1 = the exact best response, 0 = the worst; NaN when best = worst. */
export function fractionOfOptimum(payoff: number, opt: Pick<Optimum, 'best' | 'worst'>): number {
  const span = opt.best - opt.worst;
  return span > 1e-12 ? (payoff - opt.worst) / span : NaN;
}

/**
 * The exact expected payoff of a machine agent (a compiled style playing our seat: TFT,
 * WSLS, any FSM) against a co-player over `horizon` rounds, by propagating the joint state
 * distribution.
 */
export function exactPayoff(agent: CompiledStyle, coPlayer: CompiledStyle, horizon: number): number {
  const a = exactMachine(agent);
  const c = exactMachine(coPlayer);
  let dist = new Float64Array(a.nStates * c.nStates);
  dist[a.initial * c.nStates + c.initial] = 1;
  let total = 0;
  for (let t = 0; t < horizon; t++) {
    const nextDist = new Float64Array(dist.length);
    for (let sa = 0; sa < a.nStates; sa++) {
      for (let sc = 0; sc < c.nStates; sc++) {
        const w = dist[sa * c.nStates + sc]!;
        if (w === 0) continue;
        const pa = a.coop[sa]!;
        const pc = c.coop[sc]!;
        for (let x = 0; x < 2; x++) {
          for (let y = 0; y < 2; y++) {
            const pr = w * (x === 0 ? pa : 1 - pa) * (y === 0 ? pc : 1 - pc);
            if (pr === 0) continue;
            total += pr * PAYOFF[2 * x + y]!;
            nextDist[a.next[sa * 4 + 2 * x + y]! * c.nStates + c.next[sc * 4 + 2 * y + x]!]! += pr;
          }
        }
      }
    }
    dist = nextDist;
  }
  return total;
}
