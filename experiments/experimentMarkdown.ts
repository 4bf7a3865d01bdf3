// The experiment report as Markdown: behaviour per condition, then the shifts from the baseline.
import { escapeMarkdown as md } from '../conflicts/report/escape.js';
import { METRIC_LABELS, METRICS, type ExperimentReport } from './experimentReport.js';

export const fmtInterval = (i: { estimate: number; lo: number; hi: number }, d = 3): string => `${i.estimate.toFixed(d)} [${i.lo.toFixed(d)}, ${i.hi.toFixed(d)}]`;

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
  }
  return L.join('\n');
}
