// Plays a sequence-model agent (seat A) against known co-players or against a model (seat B)
// with an edited context: an optional prefix fed before the game (peer memory) and an
// optional rebuild of the history at a given round (shuffle / truncate). Against styles the
// co-player's exact machine state is tracked, so every round is scored against the exact
// best response (optimum.ts).
import type { Rng } from '../../util/random.js';
import { UsageError } from '../../data/index.js';
import { PAYOFF, sigmoid, type Rollout, type SeqModel } from '../ipd/index.js';
import type { CompiledStyle } from '../pool/index.js';
import { exactMachine, optimum, type ExactMachine } from '../population/index.js';
import { bestMove } from './bestResponseEpisodes.js';
import { transformHistory, type HistoryTransform } from './historyTransform.js';

export type ContextOpponent =
  | { kind: 'styles'; styles: readonly CompiledStyle[]; /** style index per episode */ assign: ArrayLike<number> }
  | { kind: 'model'; model: SeqModel };

export interface ContextPlayOptions {
  steps: number;
  /** Observations fed to seat A before the game, episode-major n·prefixLength. */
  prefix?: Int32Array | null;
  prefixLength?: number;
  history?: HistoryTransform | null;
  /** Most likely move instead of sampling (default true). */
  greedy?: boolean;
  /** After each round's moves: the round and the rollouts that produced them (for recording hidden states). */
  onRound?: (t: number, ro: Rollout, roB: Rollout | null) => void;
}

export interface ContextPlayRecord {
  n: number;
  steps: number;
  /** [t·n + i]: seat A's move, seat B's move, A's reward, B's reward, A's P(cooperate). */
  actions: Uint8Array;
  coActions: Uint8Array;
  rewards: Float64Array;
  coRewards: Float64Array;
  pCoop: Float32Array;
  /** Exact best-response move of seat A (styles only; 2 = not known, against a model). */
  best: Uint8Array;
}

export function playInContext(model: SeqModel, opp: ContextOpponent, n: number, rng: Rng, o: ContextPlayOptions): ContextPlayRecord {
  if (model.cfg.featuresPerStep !== 1) throw new UsageError('context play needs an agent without identity features (featuresPerStep 1)');
  if (opp.kind === 'model' && opp.model.cfg.featuresPerStep !== 1) throw new UsageError('context play needs a co-player model without identity features');
  const T = o.steps;
  const L = o.prefix ? (o.prefixLength ?? o.prefix.length / n) : 0;
  if (o.prefix && (!Number.isInteger(L) || L * n !== o.prefix.length)) throw new UsageError(`prefix holds ${o.prefix.length} observations, not n·prefixLength`);
  if (o.history && (o.history.at < 2 || o.history.at >= T)) throw new UsageError(`history transform at round ${o.history.at}: must be in 2..${T - 1}`);
  const greedy = o.greedy ?? true;
  const rec: ContextPlayRecord = {
    n,
    steps: T,
    actions: new Uint8Array(n * T),
    coActions: new Uint8Array(n * T),
    rewards: new Float64Array(n * T),
    coRewards: new Float64Array(n * T),
    pCoop: new Float32Array(n * T),
    best: new Uint8Array(n * T).fill(2),
  };
  const machines = new Map<number, { m: ExactMachine; q: Float64Array }>();
  const state = new Int32Array(n);
  if (opp.kind === 'styles') {
    for (let i = 0; i < n; i++) {
      const k = opp.assign[i]!;
      if (!machines.has(k)) machines.set(k, { m: exactMachine(opp.styles[k]!), q: optimum(opp.styles[k]!, T).q });
      state[i] = machines.get(k)!.m.initial;
    }
  }
  let ro = model.start(n, L + T);
  const roB = opp.kind === 'model' ? opp.model.start(n, T) : null;
  const f = new Int32Array(n);
  for (let t = 0; t < L; t++) {
    for (let i = 0; i < n; i++) f[i] = o.prefix![i * L + t]!;
    model.step(ro, f);
  }
  const obsA = new Int32Array(n); // 0 = start
  const obsB = new Int32Array(n);
  const seen: number[][] = Array.from({ length: n }, () => []);
  for (let t = 0; t < T; t++) {
    if (o.history && t === o.history.at) {
      const feeds = seen.map((s, i) => transformHistory([...s, obsA[i]!], o.history!, rng));
      const len = feeds[0]!.length;
      ro = model.start(n, L + len + (T - t));
      for (let j = 0; j < L; j++) {
        for (let i = 0; i < n; i++) f[i] = o.prefix![i * L + j]!;
        model.step(ro, f);
      }
      for (let j = 0; j < len; j++) {
        for (let i = 0; i < n; i++) f[i] = feeds[i]![j]!;
        model.step(ro, f);
      }
    } else {
      model.step(ro, obsA);
    }
    for (let i = 0; i < n; i++) seen[i]!.push(obsA[i]!);
    const row = (ro.t - 1) * n;
    if (roB && opp.kind === 'model') opp.model.step(roB, obsB);
    for (let i = 0; i < n; i++) {
      const p = sigmoid(ro.logit[row + i]!);
      const a = greedy ? (p >= 0.5 ? 0 : 1) : rng.next() < p ? 0 : 1;
      let b: number;
      if (opp.kind === 'styles') {
        const { m, q } = machines.get(opp.assign[i]!)!;
        const s = state[i]!;
        rec.best[t * n + i] = bestMove(q, m.nStates, t, s);
        b = rng.next() < m.coop[s]! ? 0 : 1;
        state[i] = m.next[s * 4 + 2 * b + a]!;
      } else {
        const pb = sigmoid(roB!.logit[(roB!.t - 1) * n + i]!);
        b = greedy ? (pb >= 0.5 ? 0 : 1) : rng.next() < pb ? 0 : 1;
      }
      const k = t * n + i;
      rec.actions[k] = a;
      rec.coActions[k] = b;
      rec.pCoop[k] = p;
      rec.rewards[k] = PAYOFF[2 * a + b]!;
      rec.coRewards[k] = PAYOFF[2 * b + a]!;
      obsA[i] = 1 + 2 * a + b;
      obsB[i] = 1 + 2 * b + a;
    }
    o.onRound?.(t, ro, roB);
  }
  return rec;
}
