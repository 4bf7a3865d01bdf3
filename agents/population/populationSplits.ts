// Train / validation / test populations, split by GENERATOR SEED: each split owns a disjoint
// block of seeds, and strategy i of a split is generateStrategy(block start + i). A strategy
// never moves between splits when the generator's family mix or a name changes; growing a
// split only appends seeds.
import { poolFromJson, type Pool, type PoolSpec } from '../pool/index.js';
import { generateStrategy } from './generateStrategy.js';

export const SPLITS = ['train', 'validation', 'test'] as const;
export type Split = (typeof SPLITS)[number];

/** First generator seed of each split; each block holds up to SPLIT_SIZE seeds. */
export const SPLIT_SEED_START: Readonly<Record<Split, number>> = Object.freeze({ train: 1_000_000, validation: 2_000_000, test: 3_000_000 });
export const SPLIT_SIZE = 1_000_000;

export function splitSeeds(split: Split, count: number, offset = 0): number[] {
  if (!Number.isInteger(count) || count < 1 || offset + count > SPLIT_SIZE) throw new RangeError(`count must be an integer in 1..${SPLIT_SIZE - offset}`);
  return Array.from({ length: count }, (_, i) => SPLIT_SEED_START[split] + offset + i);
}

/** The split a generator seed belongs to (undefined: outside every block). */
export function splitOfSeed(seed: number): Split | undefined {
  return SPLITS.find((s) => seed >= SPLIT_SEED_START[s] && seed < SPLIT_SEED_START[s] + SPLIT_SIZE);
}

/** The first `count` strategies of a split as a pool file (validation and test are marked held out). */
export function populationSpec(split: Split, count: number): PoolSpec {
  return { version: 1, styles: splitSeeds(split, count).map((seed) => ({ ...generateStrategy(seed), heldOut: split !== 'train' })) };
}

export function populationPool(split: Split, count: number): Pool {
  return poolFromJson(populationSpec(split, count), `population:${split}:${count}`);
}
