// Turns a channel's feature row into one score: either one feature as it is (the
// disagreement score) or a logistic model over selected features (precursor latents,
// combined score, behaviour baseline). Each score explains itself as per-feature
// contributions.
import { fitLogistic, logisticScore, Z_CLIP, type LogisticModel } from '../math/logistic.js';

export type CombinerJson =
  | { kind: 'feature'; index: number; name: string }
  | { kind: 'logistic'; features: number[]; names: string[]; model: LogisticModel };

export interface Contribution {
  feature: string;
  value: number;
  contribution: number;
}

export class Combiner {
  constructor(readonly spec: CombinerJson) {}

  score(row: ArrayLike<number>): number {
    const s = this.spec;
    if (s.kind === 'feature') return row[s.index]!;
    const sel = s.features.map((f) => row[f]!);
    return logisticScore(s.model, sel);
  }

  contributions(row: ArrayLike<number>, top = 5): Contribution[] {
    const s = this.spec;
    if (s.kind === 'feature') return [{ feature: s.name, value: r4(row[s.index]!), contribution: r4(row[s.index]!) }];
    const m = s.model;
    return s.features
      .map((f, i) => ({ feature: s.names[i]!, value: r4(row[f]!), contribution: r4(m.weights[i]! * Math.max(-Z_CLIP, Math.min(Z_CLIP, (row[f]! - m.mean[i]!) / m.std[i]!))) }))
      .sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution))
      .slice(0, top);
  }

  toJSON(): CombinerJson {
    return this.spec;
  }

  static feature(index: number, name: string): Combiner {
    return new Combiner({ kind: 'feature', index, name });
  }

  static logistic(x: Float64Array, F: number, y: ArrayLike<number>, features: number[], names: readonly string[], l2 = 1): Combiner {
    const n = y.length;
    const sub = new Float64Array(n * features.length);
    for (let r = 0; r < n; r++) features.forEach((f, i) => (sub[r * features.length + i] = x[r * F + f]!));
    const model = fitLogistic(sub, y, features.length, l2);
    return new Combiner({ kind: 'logistic', features, names: features.map((f) => names[f]!), model });
  }
}

function r4(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}
