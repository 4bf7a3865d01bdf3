// The reasoning-style experiment report as Markdown: the tables of docs/RESULTS.md "Reasoning-style
// co-players across games" (mean ± 95% t-interval half-width over seeds).
import type { TInterval } from '../../util/tInterval.js';
import { PROBE_COLUMNS, PROBE_LABELS, type GamesReport } from './gamesReport.js';

/** "0.99 ± 0.02"; "—" where no seed has a value (e.g. matching pennies against a 50/50 player). */
export function fmtT(t: TInterval, digits = 2): string {
  if (!Number.isFinite(t.estimate)) return '—';
  return `${t.estimate.toFixed(digits)} ± ${((t.hi - t.lo) / 2).toFixed(digits)}`;
}

export const STYLE_HEAD = ['game', 'style', 'agent: fraction of optimum', 'agent: best-response rate', 'agent: move 1 in round 0 / in all rounds', 'random player: fraction', 'agent vs training members: fraction'];

export function styleRows(r: GamesReport): string[][] {
  return r.cells.map((c) => [c.game, c.family, fmtT(c.fraction), fmtT(c.bestRate), `${fmtT(c.move1First)} / ${fmtT(c.move1)}`, fmtT(c.randomFraction), fmtT(c.trainMembersFraction)]);
}

export function probeRows(r: GamesReport): string[][] {
  return r.probes.map((p) => [String(p.round), ...PROBE_COLUMNS.map((c) => fmtT(p[c]))]);
}

export function gamesIntro(r: GamesReport): string {
  const a = r.agent;
  return (
    `Seeds ${r.seeds.join(', ')}; one ${a.arch.toUpperCase()} (hidden ${a.hidden}) per seed, fitted to ${r.predictor ? "predict the co-player's move" : 'the exact best response'} ` +
    `across ${a.games.join(', ')} (${a.episodes} expert episodes, ${a.epochs} epochs${a.onPolicyEpisodes ? `, DAgger ${a.onPolicyEpisodes} episodes per epoch` : ''}); ` +
    `evaluated against the held-out co-players, ${r.evaluate.episodesPerCoPlayer} episodes × ${a.steps} rounds each, greedy moves. Mean ± 95% t-interval over seeds.` +
    (r.predictor ? ' The network does not act: the episodes are played by a uniformly random agent (the agent columns are that player\'s).' : '')
  );
}

export function gamesMarkdown(r: GamesReport): string {
  const table = (head: string[], rows: string[][]): string[] => [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((x) => `| ${x.join(' | ')} |`)];
  const last = r.probes.length ? r.probes[r.probes.length - 1]!.round : NaN;
  const perGame = r.probesPerGame.filter((p) => p.round === last).map((p) => `${p.game} ${fmtT(p.trained)} / ${fmtT(p.ngram)} / ${fmtT(p.bayes)}`);
  return [
    `# Experiment ${r.name} (reasoning styles × games)`,
    '',
    ...(r.description ? [r.description, ''] : []),
    gamesIntro(r),
    '',
    `\`${r.command}\` — ${r.seconds.toFixed(0)} s wall (training ${fmtT(r.timing.trainSeconds, 0)} s, evaluation ${fmtT(r.timing.evalSeconds, 1)} s, probes ${fmtT(r.timing.probeSeconds, 1)} s per seed).`,
    '',
    '## Performance per game × co-player style',
    '',
    'Fraction of the optimum = (payoff − worst) / (best − worst) with the exact best and worst expected totals; best-response rate = rounds on which the exact best-response move was played. "—": every policy earns the same there.',
    '',
    ...table(STYLE_HEAD, styleRows(r)),
    '',
    `By style (mean over games): ${r.byFamily.map((f) => `${f.family} ${fmtT(f.fraction)}`).join(', ')}.`,
    `By game (mean over styles): ${r.byGame.map((g) => `${g.game} ${fmtT(g.fraction)}`).join(', ')}.`,
    '',
    '## Style probes against the counting baselines',
    '',
    `Which family is the co-player, from what the agent has seen before acting at round t? Logistic probes fitted on episodes against the training members, scored (balanced accuracy, chance 0.33) on episodes against the held-out members.`,
    '',
    ...table(['round', ...PROBE_COLUMNS.map((c) => PROBE_LABELS[c])], probeRows(r)),
    '',
    ...(perGame.length ? [`Per game at round ${last} (trained / n-grams / Bayes ceiling): ${perGame.join('; ')}.`, ''] : []),
  ].join('\n');
}
