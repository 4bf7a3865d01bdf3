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
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : v.toFixed(3);
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

/** Class name → colour used everywhere. */
export function classColor(c: string): string {
  if (c === 'shared') return '#6a3d9a';
  if (c === 'private-A') return '#1f78b4';
  if (c.startsWith('private-')) return '#e66101';
  if (c.startsWith('individual')) return '#33a02c';
  if (c === 'dead') return '#999999';
  return '#b15928';
}
