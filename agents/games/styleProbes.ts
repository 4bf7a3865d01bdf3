// Style probes: from the agent's state at round t, which reasoning family (minimax, trust,
// level-k) is the co-player? Logistic probes are fitted on episodes against the training
// co-players and scored (balanced accuracy, chance 1/3) on episodes against the held-out
// co-players, for the trained agent's hidden state, the same architecture with random weights
// fed the same inputs, and the counting baselines of probeFeatures.ts. The margin is the
// trained state's accuracy minus the best baseline's; the Bayes classifier with the true
// held-out machines (familyPosterior.ts) is the ceiling for anything read from the history.
import type { Rng } from '../../util/random.js';
import { makeModel, type SeqModel } from '../ipd/index.js';
import { STYLE_FAMILIES, type GameCoPlayer } from './coPlayer.js';
import { GAME_FEATURES_PER_STEP, type GamePlayRecord } from './playGames.js';
import { probeFeatures, rowsOf } from './probeFeatures.js';
import { GAMES } from './games.js';
import { bayesFamilies } from './familyPosterior.js';
import { balancedAccuracy, fitLogisticProbe, type LogisticProbeOptions } from './logisticProbe.js';

export interface ProbeRound {
  round: number;
  trained: number;
  random: number;
  counts: number;
  ngram: number;
  /** trained − max(random, counts, ngram). */
  margin: number;
  /** trained − max(counts, ngram). */
  marginOverCounts: number;
  /** The n-gram features and the trained hidden state together: what the state adds to the counts. */
  ngramPlusTrained: number;
  /** The ceiling: the Bayes classifier with the held-out co-players' true machines (familyPosterior.ts). */
  bayes: number;
  /** Per game (test rows of that game only, probes fitted on all games). */
  perGame: Record<string, { trained: number; counts: number; ngram: number; bayes: number }>;
}

/** Hidden states of `model` fed the features of a record, at the given rounds. */
export function replayHidden(model: SeqModel, rec: GamePlayRecord, rounds: readonly number[]): Map<number, Float64Array> {
  const n = rec.n;
  const T = rec.steps;
  const K = GAME_FEATURES_PER_STEP;
  const ro = model.start(n, T);
  const f = new Int32Array(n * K);
  const out = new Map<number, Float64Array>();
  const last = Math.max(...rounds);
  for (let t = 0; t <= last; t++) {
    for (let i = 0; i < n; i++) for (let k = 0; k < K; k++) f[i * K + k] = rec.feats[(i * T + t) * K + k]!;
    model.step(ro, f);
    if (rounds.includes(t)) {
      const h = new Float64Array(n * model.cfg.hidden);
      model.hiddenAt(ro, t, h);
      out.set(t, h);
    }
  }
  return out;
}

export function familyLabels(rec: GamePlayRecord, coPlayers: readonly GameCoPlayer[]): number[] {
  return Array.from(rec.coPlayer, (k) => STYLE_FAMILIES.indexOf(coPlayers[k]!.family));
}

/**
 * Probe accuracy by round. `train` and `test` are records of the trained model (with hidden
 * states kept at `rounds`) against `trainCoPlayers` and `testCoPlayers`.
 */
export function styleProbes(
  model: SeqModel,
  train: GamePlayRecord,
  trainCoPlayers: readonly GameCoPlayer[],
  test: GamePlayRecord,
  testCoPlayers: readonly GameCoPlayer[],
  rounds: readonly number[],
  rng: Rng,
  o: LogisticProbeOptions = {},
): ProbeRound[] {
  const yTrain = familyLabels(train, trainCoPlayers);
  const yTest = familyLabels(test, testCoPlayers);
  const random = makeModel(model.cfg, rng);
  const rTrain = replayHidden(random, train, rounds);
  const rTest = replayHidden(random, test, rounds);
  const C = STYLE_FAMILIES.length;
  const games = [...new Set(test.game)].sort((a, b) => a - b);
  const fit = (xa: Float64Array[], xb: Float64Array[]): number[] => {
    const p = fitLogisticProbe(xa, yTrain, C, o);
    return xb.map((x) => p.predict(x));
  };
  const acc = (pred: number[], game = -1): number =>
    game < 0 ? balancedAccuracy(pred, yTest) : balancedAccuracy(pred.filter((_, i) => test.game[i] === game), yTest.filter((_, i) => test.game[i] === game));
  return rounds.map((t) => {
    const hidden = (rec: GamePlayRecord): Float64Array[] => rowsOf(rec.hidden.get(t)!, rec.n);
    const pred = {
      trained: fit(hidden(train), hidden(test)),
      counts: fit(probeFeatures(train, t, 'counts'), probeFeatures(test, t, 'counts')),
      ngram: fit(probeFeatures(train, t, 'ngram'), probeFeatures(test, t, 'ngram')),
    };
    const cat = (a: Float64Array[], b: Float64Array[]): Float64Array[] => a.map((x, i) => Float64Array.of(...x, ...b[i]!));
    const both = fit(cat(probeFeatures(train, t, 'ngram'), hidden(train)), cat(probeFeatures(test, t, 'ngram'), hidden(test)));
    const rnd = acc(fit(rowsOf(rTrain.get(t)!, train.n), rowsOf(rTest.get(t)!, test.n)));
    const trained = acc(pred.trained);
    const counts = acc(pred.counts);
    const ngram = acc(pred.ngram);
    const counting = Math.max(counts, ngram);
    const bayes = bayesFamilies(test, testCoPlayers, t);
    const perGame = Object.fromEntries(games.map((g) => [GAMES[g]!.name, { trained: acc(pred.trained, g), counts: acc(pred.counts, g), ngram: acc(pred.ngram, g), bayes: acc(bayes, g) }]));
    return { round: t, trained, random: rnd, counts, ngram, margin: trained - Math.max(rnd, counting), marginOverCounts: trained - counting, ngramPlusTrained: acc(both), bayes: acc(bayes), perGame };
  });
}
