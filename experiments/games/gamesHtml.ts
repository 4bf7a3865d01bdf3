// The reasoning-style experiment report as one self-contained HTML page: the Markdown tables as
// HTML, a bar chart of the agent's fraction of the optimum per game × style (95% interval
// whiskers, the random player as a grey tick) and the probe accuracy per round against the
// counting baselines and the Bayes ceiling, both inline SVG.
import { escapeHtml as h } from '../../conflicts/report/escape.js';
import { htmlTable } from '../experimentHtml.js';
import { PROBE_COLUMNS, PROBE_LABELS, type GamesReport } from './gamesReport.js';
import { fmtT, gamesIntro, probeRows, STYLE_HEAD, styleRows } from './gamesMarkdown.js';

const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd'];

function bars(r: GamesReport): string {
  const games = r.byGame.map((g) => g.game);
  const families = r.byFamily.map((f) => f.family);
  const bw = 20;
  const gw = families.length * bw + 48;
  const W = Math.max(60 + games.length * gw, 120 + families.length * 90 + 160);
  const H = 240;
  const y = (v: number): number => H - 50 - Math.max(0, Math.min(1, v)) * (H - 70);
  const parts: string[] = [];
  games.forEach((g, gi) => {
    const x0 = 50 + gi * gw;
    families.forEach((f, fi) => {
      const c = r.cells.find((x) => x.game === g && x.family === f);
      if (!c || !Number.isFinite(c.fraction.estimate)) return;
      const x = x0 + fi * bw;
      parts.push(`<rect x="${x}" y="${y(c.fraction.estimate).toFixed(1)}" width="${bw - 3}" height="${(y(0) - y(c.fraction.estimate)).toFixed(1)}" fill="${COLORS[fi % COLORS.length]}"><title>${h(`${g} · ${f}: ${fmtT(c.fraction)}`)}</title></rect>`);
      parts.push(`<line x1="${x + (bw - 3) / 2}" x2="${x + (bw - 3) / 2}" y1="${y(c.fraction.lo).toFixed(1)}" y2="${y(c.fraction.hi).toFixed(1)}" stroke="#000"/>`);
      if (Number.isFinite(c.randomFraction.estimate)) parts.push(`<line x1="${x - 1}" x2="${x + bw - 2}" y1="${y(c.randomFraction.estimate).toFixed(1)}" y2="${y(c.randomFraction.estimate).toFixed(1)}" stroke="#888" stroke-width="2"/>`);
    });
    parts.push(`<text x="${x0 + (families.length * bw) / 2}" y="${H - 34}" font-size="10" text-anchor="middle">${h(g)}</text>`);
  });
  const legend = families.map((f, i) => `<rect x="${50 + i * 90}" y="${H - 20}" width="10" height="10" fill="${COLORS[i % COLORS.length]}"/><text x="${64 + i * 90}" y="${H - 11}" font-size="11">${h(f)}</text>`).join('');
  const axis = `<line x1="44" x2="${W}" y1="${y(0)}" y2="${y(0)}" stroke="#999"/><line x1="44" x2="44" y1="${y(0)}" y2="${y(1)}" stroke="#999"/><text x="40" y="${y(1) + 4}" font-size="10" text-anchor="end">1</text><text x="40" y="${y(0.5) + 4}" font-size="10" text-anchor="end">0.5</text><text x="40" y="${y(0) + 4}" font-size="10" text-anchor="end">0</text>`;
  return `<svg width="${W}" height="${H}" role="img" aria-label="fraction of the optimum per game and style">${axis}${parts.join('')}${legend}<text x="${50 + families.length * 90}" y="${H - 11}" font-size="11" fill="#666">grey tick: random player</text></svg>`;
}

function probeLines(r: GamesReport): string {
  const W = 560;
  const H = 220;
  const rounds = r.probes.map((p) => p.round);
  if (rounds.length === 0) return '';
  const maxR = Math.max(...rounds, 1);
  const x = (t: number): number => 50 + (t / maxR) * (W - 200);
  const y = (v: number): number => H - 30 - Math.max(0, Math.min(1, v)) * (H - 50);
  const cols = ['trained', 'ngram', 'counts', 'random', 'bayes'] as const;
  const lines = cols.map((c, i) => {
    const pts = r.probes.filter((p) => Number.isFinite(p[c].estimate));
    const d = pts.map((p, k) => `${k ? 'L' : 'M'}${x(p.round).toFixed(1)},${y(p[c].estimate).toFixed(1)}`).join('');
    return `<path d="${d}" fill="none" stroke="${COLORS[i % COLORS.length]}" stroke-width="1.5"${c === 'bayes' ? ' stroke-dasharray="4 3"' : ''}/><text x="${W - 140}" y="${20 + 14 * i}" font-size="11" fill="${COLORS[i % COLORS.length]}">${h(PROBE_LABELS[c])}</text>`;
  });
  const chance = `<line x1="50" x2="${x(maxR)}" y1="${y(1 / 3)}" y2="${y(1 / 3)}" stroke="#bbb" stroke-dasharray="2 3"/><text x="${x(maxR) + 4}" y="${y(1 / 3) + 4}" font-size="10" fill="#888">chance</text>`;
  const axis = `<line x1="50" x2="${x(maxR)}" y1="${y(0)}" y2="${y(0)}" stroke="#999"/><line x1="50" x2="50" y1="${y(0)}" y2="${y(1)}" stroke="#999"/><text x="46" y="${y(1) + 4}" font-size="10" text-anchor="end">1</text><text x="46" y="${y(0) + 4}" font-size="10" text-anchor="end">0</text><text x="${x(maxR / 2)}" y="${H - 6}" font-size="11" text-anchor="middle">round</text>`;
  return `<svg width="${W}" height="${H}" role="img" aria-label="probe balanced accuracy per round">${axis}${chance}${lines.join('')}</svg>`;
}

export function gamesHtml(r: GamesReport): string {
  const last = r.probes.length ? r.probes[r.probes.length - 1]!.round : NaN;
  const perGame = r.probesPerGame.filter((p) => p.round === last).map((p) => [p.game, fmtT(p.trained), fmtT(p.counts), fmtT(p.ngram), fmtT(p.bayes)]);
  return `<!doctype html><html><head><meta charset="utf-8"><title>Experiment ${h(r.name)}</title><style>body{font:14px system-ui,sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 6px;font-size:12px}</style></head><body>
<h1>Experiment ${h(r.name)} (reasoning styles × games)</h1><p>${h(r.description)}</p>
<p>${h(gamesIntro(r))} <code>${h(r.command)}</code></p>
<h2>Performance per game × co-player style</h2>${bars(r)}${htmlTable(STYLE_HEAD, styleRows(r))}
<p>By style: ${h(r.byFamily.map((f) => `${f.family} ${fmtT(f.fraction)}`).join(', '))}. By game: ${h(r.byGame.map((g) => `${g.game} ${fmtT(g.fraction)}`).join(', '))}.</p>
<h2>Style probes against the counting baselines</h2><p>Balanced accuracy on the held-out members' episodes, chance 0.33.</p>${probeLines(r)}${htmlTable(['round', ...PROBE_COLUMNS.map((c) => PROBE_LABELS[c])], probeRows(r))}
<h3>Per game at round ${h(last)}</h3>${htmlTable(['game', 'trained', 'outcome counts', 'n-grams', 'Bayes ceiling'], perGame)}
</body></html>\n`;
}
