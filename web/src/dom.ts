// Tiny DOM helpers (escaping included: every string that came from a run goes through text nodes).

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number | boolean | undefined> = {},
  ...children: (Node | string | null | undefined)[]
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    if (k === 'class') e.className = String(v);
    else e.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) if (c !== null && c !== undefined) e.append(typeof c === 'string' ? document.createTextNode(c) : c);
  return e;
}

export function clear(node: Element): void {
  while (node.firstChild) node.removeChild(node.firstChild);
}

export function formatBytes(n: number): string {
  const u = ['B', 'KiB', 'MiB', 'GiB'];
  let i = 0;
  while (n >= 1024 && i < u.length - 1) {
    n /= 1024;
    i++;
  }
  return `${i ? n.toFixed(1) : n} ${u[i]}`;
}

export function fmt(v: unknown): string {
  if (typeof v === 'number') return round(v);
  if (v === null || v === undefined) return '–';
  return String(v);
}

const tip = (): HTMLElement => document.getElementById('tooltip') ?? document.body.appendChild(el('div', { id: 'tooltip' }));

export function showTooltip(x: number, y: number, lines: (string | [string, string])[]): void {
  const t = tip();
  clear(t);
  for (const l of lines) {
    const row = el('div');
    if (Array.isArray(l)) row.append(el('span', { class: 'muted' }, `${l[0]} `), l[1]);
    else row.append(l);
    t.append(row);
  }
  t.style.display = 'block';
  const w = t.offsetWidth;
  t.style.left = `${Math.min(x + 14, window.innerWidth - w - 8)}px`;
  t.style.top = `${y + 14}px`;
}

export function hideTooltip(): void {
  tip().style.display = 'none';
}

/** Agent colours (A, B, then others in order of first use). */
const AGENT_PALETTE = ['#1f78b4', '#e66101', '#1b9e77', '#e7298a', '#7570b3', '#a6761d'];
const agentSlots = new Map<string, number>([['A', 0], ['B', 1]]);
export function agentColor(agent: string): string {
  if (!agentSlots.has(agent)) agentSlots.set(agent, agentSlots.size % AGENT_PALETTE.length);
  return AGENT_PALETTE[agentSlots.get(agent)!]!;
}

/** Colours of other class names, far from the agents' and from each other. */
const OTHER_PALETTE = ['#8c564b', '#17becf', '#bcbd22', '#393b79', '#d62728', '#637939'];
const FIXED: Record<string, string> = { shared: '#6a3d9a', dead: '#b0b0b0', rare: '#c7a500', unsplit: '#5f9ea0', unknown: '#5f9ea0' };

/** Class name → colour used everywhere: any class string gets one (private-<agent> the agent's, partial-* a mix). */
export function classColor(c: string): string {
  if (FIXED[c]) return FIXED[c]!;
  if (c.startsWith('private-')) return agentColor(c.slice('private-'.length));
  let h = 0;
  for (let i = 0; i < c.length; i++) h = (h * 31 + c.charCodeAt(i)) >>> 0;
  return OTHER_PALETTE[h % OTHER_PALETTE.length]!;
}

/** Order of classes in legends and tables: shared, private-*, partial-*, others, rare, dead. */
export function classRank(c: string): number {
  if (c === 'shared') return 0;
  if (c.startsWith('private-')) return 1;
  if (c.startsWith('partial-')) return 2;
  if (c === 'rare') return 4;
  if (c === 'dead') return 5;
  return 3;
}

export function sortClasses(classes: Iterable<string>): string[] {
  return [...new Set(classes)].sort((a, b) => classRank(a) - classRank(b) || a.localeCompare(b));
}

/** A row of colour swatches with labels, one per class. */
export function classLegend(classes: Iterable<string>, counts?: Record<string, number>): HTMLElement {
  const box = el('div', { class: 'legend', 'data-legend': 'class' });
  for (const c of sortClasses(classes)) {
    box.append(el('span', { class: 'legend-item', 'data-class': c }, el('i', { class: 'swatch', style: `background:${classColor(c)}` }), counts ? `${c} (${counts[c] ?? 0})` : c));
  }
  return box;
}

/** A continuous colour ramp with its end labels (e.g. activation 0 → max). */
export function rampLegend(title: string, colour: (t: number) => string, lo: string, hi: string, id?: string): HTMLElement {
  const stops = Array.from({ length: 11 }, (_, i) => `${colour(i / 10)} ${i * 10}%`).join(', ');
  return el('div', { class: 'legend', ...(id ? { id } : {}) }, el('span', { class: 'muted' }, title), el('span', {}, lo), el('i', { class: 'ramp', style: `background: linear-gradient(to right, ${stops})` }), el('span', {}, hi));
}

/** A number rounded to what it means: integers as they are, else `digits` significant digits (no 27.354637501294306). */
export function round(v: number | null | undefined, digits = 3): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '–';
  if (Number.isInteger(v)) return String(v);
  const a = Math.abs(v);
  if (a >= 10 ** digits) return String(Math.round(v));
  return String(Number(v.toPrecision(digits)));
}

/** A fraction as a percentage with one decimal. */
export function pct(v: number | null | undefined): string {
  return v === null || v === undefined || !Number.isFinite(v) ? '–' : `${(v * 100).toFixed(1)}%`;
}
