// How much could a ramp detector (CUSUM on a trend, a matched filter) gain over the detector's
// EWMA? A planted conflict adds a ramp to one agent's copy of a thought: the per-latent view
// disagreement d_j(t) then carries s·(t − onset + 1) on top of its null fluctuation, which is
// autocorrelated (the views' errors follow the thoughts). For each run:
//   1. fit the detector exactly as `detect <run> --sae <ckpt>` does (reference = first half of
//      the episodes, default views and options);
//   2. on the conflict-free scored episodes, the autocorrelation of every latent's normalised
//      disagreement d_j at lags 1, 2, 5, 10, and the AR(1) coefficient ρ that fits lag 1;
//   3. for that ρ, the signal-to-noise ratio n steps after the onset of
//        - the matched filter with known onset and known slope, √(rᵀ Σ⁻¹ r) (Σ_ij = ρ^|i−j|, 60
//          null steps before the onset): an upper bound no detector reaches, since the onset is
//          unknown;
//        - the EWMA of weight λ (the detector's smoothing), wᵀ r / √(wᵀ Σ w),
//      and the EWMA's share of the bound.
// Prints a Markdown table; writes artifacts/conflicts/ramp-efficiency-<tag>.json.
//   npx tsx bench/conflicts/rampEfficiency.bench.ts <run>:<ckpt> [<run>:<ckpt> …] [--lags 5,10] [--lambdas 0.15,0.3,0.5] [--tag t]
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { openRun } from '../../data/index.js';
import { loadEpisodes } from '../../conflicts/input/episodes.js';
import { dictionaryCoder } from '../../conflicts/input/dictionaryCoder.js';
import { dictionaryViews, fitDetector } from '../../conflicts/fit/fitDetector.js';
import { resolveEventSpec, episodeEvents, makeEventPredicate } from '../../conflicts/input/events.js';
import type { PairChannel } from '../../conflicts/score/pairChannel.js';
import { episodeRows } from '../../conflicts/input/stepRowsOf.js';
import { selectBackend } from '../../sae/index.js';
import { rampSnr } from './rampSnr.js';

const args = process.argv.slice(2);
const opt = (name: string, dflt: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args.splice(i, 2)[1]! : dflt;
};
const lags = opt('lags', '5,10').split(',').map(Number);
const lambdas = opt('lambdas', '0.15,0.3,0.5').split(',').map(Number);
const tag = opt('tag', 'default');
const pairs = args.map((a) => {
  const i = a.lastIndexOf(':');
  if (i < 0) throw new Error(`expected <run>:<ckpt>, got '${a}'`);
  return { run: a.slice(0, i), ckpt: a.slice(i + 1) };
});
if (!pairs.length) throw new Error('give at least one <run>:<ckpt>');
await selectBackend('auto');

const rows: Record<string, unknown>[] = [];
console.log(`| run | latents | acf lag 1 (median, range) | lag 2 | lag 5 | lag 10 | ρ | ${lags.flatMap((n) => lambdas.map((l) => `EWMA λ ${l} / bound, ${n} steps`)).join(' | ')} |`);
console.log(`|---|---|---|---|---|---|---|${lags.flatMap(() => lambdas.map(() => '---')).join('|')}|`);
for (const p of pairs) {
  const all = loadEpisodes(openRun(p.run));
  const half = Math.round(all.episodes.length / 2);
  const ref = { ...all, episodes: all.episodes.slice(0, half) };
  const events = resolveEventSpec(ref.agents, ref.columnSpecs, undefined);
  const det = fitDetector(ref, { events, views: dictionaryViews(dictionaryCoder(p.ckpt)) });
  const ch = det.channels[0] as PairChannel;
  const K = ch.K;
  const pred = makeEventPredicate(det.events, ref.agents, ref.columnSpecs);
  const series: Float64Array[][] = [];
  for (const e of all.episodes.slice(half)) {
    if (episodeEvents(pred, e.columns, e.length).onsets.length) continue;
    const v = ch.prepare(episodeRows(e));
    series.push(
      Array.from({ length: K }, (_, j) =>
        Float64Array.from({ length: e.length }, (_, r) => {
          const a = v.va[r * K + j]!;
          const b = v.vb[r * K + j]!;
          return (a - b - ch.norm.diffMean[j]!) / ch.spread(j, a < b ? a : b);
        }),
      ),
    );
  }
  const acf = (lag: number) =>
    Array.from({ length: K }, (_, j) => {
      let s = 0;
      let s0 = 0;
      for (const ep of series) {
        const d = ep[j]!;
        for (let t = lag; t < d.length; t++) {
          s += d[t]! * d[t - lag]!;
          s0 += d[t]! ** 2;
        }
      }
      return s / s0;
    }).sort((a, b) => a - b);
  const med = (a: number[]) => a[a.length >> 1]!;
  const a1 = acf(1);
  const rho = med(a1);
  const eff = lags.map((n) => rampSnr(rho, n, lambdas));
  const cell = (a: number[]) => med(a).toFixed(2);
  console.log(
    `| ${basename(p.run)} | ${K} | ${cell(a1)} (${a1[0]!.toFixed(2)}–${a1.at(-1)!.toFixed(2)}) | ${cell(acf(2))} | ${cell(acf(5))} | ${cell(acf(10))} | ${rho.toFixed(2)} | ${eff
      .flatMap((e) => e.ewma.map((v) => `${(100 * v / e.matched).toFixed(0)} %`))
      .join(' | ')} |`,
  );
  rows.push({ run: p.run, ckpt: p.ckpt, latents: K, nullEpisodes: series.length, acf: { 1: a1, 2: acf(2), 5: acf(5), 10: acf(10) }, rho, efficiency: lags.map((n, i) => ({ steps: n, matched: eff[i]!.matched, ewma: lambdas.map((l, k) => ({ lambda: l, snr: eff[i]!.ewma[k] })) })) });
}
mkdirSync('artifacts/conflicts', { recursive: true });
const out = join('artifacts/conflicts', `ramp-efficiency-${tag}.json`);
writeFileSync(out, JSON.stringify({ lags, lambdas, rows }, null, 1));
console.log(`\nwrote ${out}`);
