// The tournament report and its exports: report.json (everything), standings.csv (one row
// per player, the Axelrod library's summary columns), report.md and report.html (standalone:
// inline styles, no scripts, every name escaped).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../../data/index.js';
import type { EcologyResult } from './ecological.js';
import type { MoranPair, MoranResult } from './moran.js';
import type { TournamentResult } from './tournament.js';

export const TOURNAMENT_FORMATS = ['json', 'csv', 'md', 'html'] as const;
export type TournamentFormat = (typeof TOURNAMENT_FORMATS)[number];
export const TOURNAMENT_FILES: Record<TournamentFormat, string> = { json: 'report.json', csv: 'standings.csv', md: 'report.md', html: 'report.html' };

export interface TournamentReport {
  schema: 'thoughtlens-tournament';
  version: 1;
  createdAt: string;
  /** Where each player came from (checkpoint folder, pool file, baseline). */
  sources: Record<string, string>;
  payoffs: { T: number; R: number; P: number; S: number };
  tournament: TournamentResult;
  ecology: EcologyResult;
  /** Present when the Moran process was run. */
  moran?: MoranResult;
}

const COLUMNS = ['rank', 'name', 'kind', 'median_score', 'mean_score', 'cooperation_rating', 'CC_rate', 'CD_rate', 'DC_rate', 'DD_rate', 'wins', 'ecology_final_share'] as const;

function rows(r: TournamentReport): (string | number)[][] {
  const share = (name: string): number => r.ecology.fromUniform.final[r.ecology.players.indexOf(name)] ?? NaN;
  return r.tournament.standings.map((s) => [s.rank, s.name, s.kind, f(s.medianScore), f(s.meanScore), f(s.cooperationRating), f(s.CC), f(s.CD), f(s.DC), f(s.DD), s.wins, f(share(s.name))]);
}

export function standingsCsv(r: TournamentReport): string {
  const q = (v: string | number): string => (typeof v === 'string' && /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : String(v));
  return [COLUMNS.join(','), ...rows(r).map((row) => row.map(q).join(','))].join('\n') + '\n';
}

function setup(r: TournamentReport): string {
  const t = r.tournament;
  return `round robin of ${t.players.length} players, ${t.turns} turns, ${t.repetitions} repetitions, noise ${t.noise}, seed ${t.seed}; payoffs T=${r.payoffs.T}, R=${r.payoffs.R}, P=${r.payoffs.P}, S=${r.payoffs.S}; self-interactions played (payoff matrix diagonal) but not scored`;
}

const MORAN_HEADER = ['invader', 'resident', 'ρ invader (simulated [95% CI])', 'ρ invader (exact)', 'ρ resident back (exact)', 'selection'];

/** invader: favoured → invades, opposed → fails; reverse: opposed → resists, favoured → is replaced. */
export function moranVerdict(p: MoranPair): string {
  const inv = p.invasion === 'favoured' ? 'invades' : p.invasion === 'opposed' ? 'fails to invade' : 'neutral in';
  const back = p.reverse === 'opposed' ? 'resists' : p.reverse === 'favoured' ? 'is invaded back' : 'neutral back';
  return `${inv}; ${back}`;
}

function moranIntro(m: MoranResult): string {
  return `population ${m.size}, ${m.runs} runs per pair, intensity of selection ${m.selection}, seed ${m.seed}, payoffs shifted by +${m.payoffShift}; ρ = probability that one mutant takes over (neutral drift: 1/N = ${m.neutral.toFixed(3)}; within ±${100 * m.neutralBand} % of it called neutral)`;
}

/** One row per Moran pair: invader, resident, simulated ρ with its interval, exact ρ both ways, verdict. */
export function moranRows(m: MoranResult): string[][] {
  return m.pairs.map((p) => [
    p.invader,
    p.resident,
    `${p.invades.simulated.toFixed(3)} [${p.invades.lo.toFixed(3)}, ${p.invades.hi.toFixed(3)}]`,
    p.invades.exact.toFixed(3),
    p.resisted.exact.toFixed(3),
    moranVerdict(p),
  ]);
}

function ecologyLines(r: TournamentReport): { uniform: string; invasions: [string, string, string, string][] } {
  const e = r.ecology;
  const survivors = e.players.map((p, i) => [p, e.fromUniform.final[i]!] as const).filter(([, x]) => x > 1e-3).sort((a, b) => b[1] - a[1]);
  return {
    uniform: `after ${e.generations} generations from equal shares (payoffs shifted by +${e.payoffShift}): ${survivors.map(([p, x]) => `${p} ${x.toFixed(3)}`).join(', ') || 'none above 0.001'}`,
    invasions: e.invasions.map((v) => [v.player, v.start.toFixed(3), v.final.toFixed(3), v.invades ? 'invades (share grows)' : 'fails to invade (share falls)']),
  };
}

export function markdownTournament(r: TournamentReport): string {
  const header = ['rank', 'player', 'kind', 'median score', 'mean score', 'cooperation', 'CC', 'CD', 'DC', 'DD', 'wins', 'ecology share'];
  const md = (cells: (string | number)[]): string => `| ${cells.map((c) => String(c).replace(/\|/g, '\\|')).join(' | ')} |`;
  const eco = ecologyLines(r);
  return [
    '# Tournament',
    '',
    setup(r) + '.',
    '',
    md(header),
    md(header.map(() => '---')),
    ...rows(r).map(md),
    '',
    '## Ecological run',
    '',
    eco.uniform + '.',
    '',
    md(['invader', 'start share', `share after ${r.ecology.generations} generations`, 'outcome']),
    md(['---', '---', '---', '---']),
    ...eco.invasions.map(md),
    '',
    ...(r.moran ? ['## Moran process', '', moranIntro(r.moran) + '.', '', md(MORAN_HEADER), md(MORAN_HEADER.map(() => '---')), ...moranRows(r.moran).map(md), ''] : []),
  ].join('\n');
}

export function htmlTournament(r: TournamentReport): string {
  const header = ['rank', 'player', 'kind', 'median score', 'mean score', 'cooperation', 'CC', 'CD', 'DC', 'DD', 'wins', 'ecology share'];
  const tr = (cells: (string | number)[], tag = 'td'): string => `<tr>${cells.map((c) => `<${tag}>${esc(c)}</${tag}>`).join('')}</tr>`;
  const eco = ecologyLines(r);
  const t = r.tournament;
  const matrix = `<table><tr><th></th>${t.players.map((p) => `<th>${esc(p)}</th>`).join('')}</tr>${t.players
    .map((p, i) => `<tr><th>${esc(p)}</th>${t.payoffMatrix[i]!.map((v) => `<td style="background:${heat(v)}">${esc(v.toFixed(2))}</td>`).join('')}</tr>`)
    .join('')}</table>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Tournament</title><style>body{font:14px/1.45 system-ui,sans-serif;margin:24px auto;max-width:1100px;color:#1b1f24;padding:0 12px}
table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #d0d7de;padding:3px 8px;text-align:left}th{background:#f6f8fa}.muted{color:#57606a}</style></head><body>
<h1>Tournament</h1>
<p class="muted">${esc(setup(r))} · ${esc(r.createdAt)}</p>
<table>${tr(header, 'th')}${rows(r)
    .map((row) => tr(row))
    .join('')}</table>
<h2>Payoff matrix</h2><p class="muted">Mean payoff per turn of the row player against the column player.</p>
${matrix}
<h2>Ecological run</h2>
<p>${esc(eco.uniform)}.</p>
<table>${tr(['invader', 'start share', `share after ${r.ecology.generations} generations`, 'outcome'], 'th')}${eco.invasions.map((row) => tr(row)).join('')}</table>
${r.moran ? `<h2>Moran process</h2>\n<p>${esc(moranIntro(r.moran))}.</p>\n<table>${tr(MORAN_HEADER, 'th')}${moranRows(r.moran).map((row) => tr(row)).join('')}</table>\n` : ''}</body></html>
`;
}

export function writeTournamentReport(dir: string, r: TournamentReport, formats: readonly TournamentFormat[] = TOURNAMENT_FORMATS): string[] {
  mkdirSync(dir, { recursive: true });
  return formats.map((fmt) => {
    const file = join(dir, TOURNAMENT_FILES[fmt]);
    const text = fmt === 'json' ? JSON.stringify(r, null, 1) + '\n' : fmt === 'csv' ? standingsCsv(r) : fmt === 'md' ? markdownTournament(r) : htmlTournament(r);
    writeFileAtomic(file, text, false);
    return file;
  });
}

function f(x: number): string {
  return Number.isFinite(x) ? x.toFixed(3) : '';
}

/** Payoff per turn −1 … 2 → a light red … green background. */
function heat(v: number): string {
  const u = Math.max(0, Math.min(1, (v + 1) / 3));
  return `hsl(${Math.round(120 * u)},60%,88%)`;
}

function esc(v: unknown): string {
  return String(v).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
