// The experiment report as Markdown: behaviour per condition, then the shifts from the baseline.
import { escapeMarkdown as md } from '../conflicts/report/escape.js';
import { METRIC_LABELS, METRICS, type ExperimentReport } from './experimentReport.js';
import type { LatentPrediction, ModelScore, PredictionScores } from './latentPrediction.js';

export const fmtInterval = (i: { estimate: number; lo: number; hi: number }, d = 3): string => `${i.estimate.toFixed(d)} [${i.lo.toFixed(d)}, ${i.hi.toFixed(d)}]`;
/** An interval, or — when it is not a number (a target without variance). */
export const fmtScore = (i: { estimate: number; lo: number; hi: number }, d = 3): string => (Number.isNaN(i.estimate) ? '—' : fmtInterval(i, d));

export function experimentMarkdown(r: ExperimentReport): string {
  const L: string[] = [`# Experiment ${md(r.name)}`, ''];
  if (r.description) L.push(md(r.description), '');
  L.push(
    `Seeds ${r.seeds.join(', ')}; ${r.evaluate.coPlayers} test-split co-players × ${r.evaluate.episodesPerCoPlayer} episodes of ${r.evaluate.steps} rounds per seed. ` +
      `Intervals: 95% percentile bootstrap over (seed, co-player). Baseline: **${md(r.baseline)}**. Command: \`${md(r.command)}\` (${r.seconds.toFixed(0)} s).`,
    '',
    '## Behaviour per condition',
    '',
    `| condition | train context | peer memory | history | ${METRICS.map((m) => METRIC_LABELS[m]).join(' | ')} | rounds to adapt (per seed) |`,
    `|---|---|---|---|${METRICS.map(() => '---|').join('')}---|`,
  );
  for (const c of r.conditions) {
    L.push(`| ${md(c.condition)} | ${md(c.context)} | ${md(c.prefix || '—')} | ${md(c.history || '—')} | ${METRICS.map((m) => fmtInterval(c.metrics[m], m === 'firstDefection' ? 1 : 3)).join(' | ')} | ${c.adaptRounds.join(', ')} |`);
  }
  L.push('', `## Shift from ${md(r.baseline)} (paired by seed and co-player; p: paired sign-flip permutation test, q: Benjamini–Hochberg over all ${r.shifts.length} tests)`, '');
  L.push('| condition | metric | Δ [95% CI] | d_z | p | q |', '|---|---|---|---|---|---|');
  for (const s of r.shifts) L.push(`| ${md(s.condition)} | ${METRIC_LABELS[s.metric]} | ${fmtInterval(s.delta, s.metric === 'firstDefection' ? 2 : 3)} | ${s.effectSize.toFixed(2)} | ${s.p.toPrecision(2)} | ${s.q.toPrecision(2)}${s.q <= r.alpha ? ' *' : ''} |`);
  L.push('', `\\* q ≤ ${r.alpha}.`, '');
  const rep = r.representation;
  if (rep) {
    const dz = rep.dictionary;
    L.push(
      `## Representational shift from ${md(rep.baseline)}`,
      '',
      `One dictionary across all conditions' runs (${dz.latents} latents, k ${dz.k}, ${dz.steps} steps${dz.resumed ? ', resumed' : `, ${dz.seconds.toFixed(0)} s`}), ` +
        `encoded on held-out episodes (${md(rep.heldOut)}). Per latent: Δ mean activation and Δ firing rate (condition − baseline), Cohen's d of the per-episode mean ` +
        `activation with a 95% bootstrap interval over episodes, p from a permutation test over episodes, q: Benjamini–Hochberg over all ${rep.tests} condition × latent tests.`,
      '',
      '| condition | same agent | episodes (cond / base) | latents with q ≤ α | latent | Δ mean | Δ rate | d [95% CI] | p | q |',
      '|---|---|---|---|---|---|---|---|---|---|',
    );
    for (const c of rep.conditions) {
      c.top.forEach((s, i) =>
        L.push(
          `| ${i ? '' : md(c.condition)} | ${i ? '' : c.sameAgent ? 'yes' : 'no'} | ${i ? '' : `${c.episodes} / ${c.baseEpisodes}`} | ${i ? '' : c.significant} | ${s.latent} | ${s.deltaMean.toFixed(4)} | ${s.deltaRate.toFixed(3)} | ${fmtInterval(s.d, 2)} | ${s.p.toPrecision(2)} | ${s.q.toPrecision(2)}${s.q <= rep.alpha ? ' *' : ''} |`,
        ),
      );
    }
    L.push('');
    if (rep.prediction) L.push(...predictionMarkdown(rep.prediction));
  }
  return L.join('\n');
}

export const PREDICTION_MODELS = [
  ['label', 'label'],
  ['latents', 'shifting latents'],
  ['labelLatents', 'label + shifting latents'],
  ['raw', 'raw hidden states'],
] as const;

export const WINDOW_LABELS = { episode: 'episode mean', start: 'round 0' } as const;

/** Rows (condition, window, scope, model, score) of a latent prediction, in report order. */
export function predictionRows(p: LatentPrediction): { condition: string; window: string; scope: 'pooled' | 'within'; model: string; s: ModelScore; scores: PredictionScores }[] {
  return p.conditions.flatMap((c) =>
    (['pooled', 'within'] as const).flatMap((scope) =>
      PREDICTION_MODELS.flatMap(([k, label]) => {
        const s = c[scope][k];
        return s ? [{ condition: c.condition, window: c.window, scope, model: label, s, scores: c[scope] }] : [];
      }),
    ),
  );
}

export const fmtTop = (sc: PredictionScores, n = 3): string => sc.top.slice(0, n).map((t) => `${t.latent} (R² ${t.r2.toFixed(2)}, r ${t.r.toFixed(2)}, d ${t.d.toFixed(2)})`).join('; ');

function predictionMarkdown(p: LatentPrediction): string[] {
  const L = [
    `## Do the shifting latents predict defection? (each condition vs ${md(p.baseline)})`,
    '',
    `Per episode (held-out episodes of the dictionary), ridge regression (standardized features; λ from {${p.lambdas.join(', ')}} by an inner 4-fold CV on the training folds; predictions clipped to the training targets' range) of the episode's defection rate and first-defection round, ` +
      `cross-validated over ${p.folds} folds of (seed, co-player) groups (no episode is scored by a model fitted on it or on its co-player in the same seed). ` +
      `Features: the condition label; the ${p.latentsPerModel} latents with the largest |Cohen's d| between condition and baseline on the training folds; both; the raw hidden states the dictionary reads. ` +
      `Windows: the mean over the episode's rounds (round t's state is the one its move is read from) and the state at round 0 (after the peer memory, before any move). ` +
      `Pooled: condition and baseline episodes; within: the condition's episodes alone (the label is constant there). AUROC: the predicted defection rate for "defection rate above the median of the scored episodes" (at or above it when the median is the maximum). — : the target does not vary. ` +
      `95% bootstrap intervals over (seed, co-player) groups (${p.resamples} resamples).`,
    '',
    '| condition | window | scope | model | features | R² defection [95% CI] | AUROC [95% CI] | R² first defection [95% CI] |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const r of predictionRows(p)) {
    L.push(`| ${md(r.condition)} | ${WINDOW_LABELS[r.window as 'episode' | 'start']} | ${r.scope} (${r.scores.episodes}) | ${r.model} | ${r.s.features} | ${fmtScore(r.s.r2)} | ${fmtScore(r.s.auroc)} | ${fmtScore(r.s.r2First)} |`);
  }
  L.push('', '| condition | window | scope | ΔR² beyond the label (label + latents − label) | ΔR² latents − raw | most predictive single latents (held-out R², r, d vs baseline) |', '|---|---|---|---|---|---|');
  for (const c of p.conditions) {
    for (const scope of ['pooled', 'within'] as const) {
      const sc = c[scope];
      L.push(`| ${md(c.condition)} | ${WINDOW_LABELS[c.window]} | ${scope} | ${sc.gain ? fmtScore(sc.gain) : '—'} | ${fmtScore(sc.latentsMinusRaw)} | ${fmtTop(sc)} |`);
    }
  }
  L.push('');
  return L;
}
