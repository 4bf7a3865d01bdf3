// The reasoning-style experiment report as one long CSV: one row per figure (table, game,
// style, round, metric, estimate, lo, hi, seeds), so a spreadsheet or pandas can pivot it.
import type { TInterval } from '../../util/tInterval.js';
import { PROBE_COLUMNS, type GamesReport } from './gamesReport.js';

const num = (x: number): string => (Number.isFinite(x) ? String(+x.toPrecision(6)) : '');

export function gamesCsv(r: GamesReport): string {
  const out = ['table,game,style,round,metric,estimate,lo,hi,seeds'];
  const row = (table: string, game: string, style: string, round: number | '', metric: string, t: TInterval): void => {
    out.push([table, game, style, round, metric, num(t.estimate), num(t.lo), num(t.hi), t.n].join(','));
  };
  for (const c of r.cells) {
    for (const m of ['fraction', 'bestRate', 'move1First', 'move1', 'randomFraction', 'trainMembersFraction'] as const) row('performance', c.game, c.family, '', m, c[m]);
  }
  for (const f of r.byFamily) row('by-style', '', f.family, '', 'fraction', f.fraction);
  for (const g of r.byGame) row('by-game', g.game, '', '', 'fraction', g.fraction);
  for (const p of r.probes) for (const m of PROBE_COLUMNS) row('probes', '', '', p.round, m, p[m]);
  for (const p of r.probesPerGame) for (const m of ['trained', 'counts', 'ngram', 'bayes'] as const) row('probes-per-game', p.game, '', p.round, m, p[m]);
  return out.join('\n') + '\n';
}
