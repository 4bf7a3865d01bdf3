// Order of latents in the heatmap: shared first, then each agent's private latents, then
// the rest, dead last; each class is a band with a label.

export interface Band {
  name: string;
  start: number;
  count: number;
}

export interface BandLayout {
  /** position (heatmap row) → latent index */
  order: Int32Array;
  /** latent index → position */
  position: Int32Array;
  bands: Band[];
}

function rank(c: string): number {
  if (c === 'shared') return 0;
  if (c.startsWith('private-')) return 1;
  if (c.startsWith('individual')) return 2;
  if (c === 'dead') return 4;
  return 3;
}

export function bandLayout(classes: string[]): BandLayout {
  const idx = classes.map((_, j) => j);
  idx.sort((a, b) => rank(classes[a]!) - rank(classes[b]!) || classes[a]!.localeCompare(classes[b]!) || a - b);
  const order = Int32Array.from(idx);
  const position = new Int32Array(classes.length);
  order.forEach((j, p) => (position[j] = p));
  const bands: Band[] = [];
  order.forEach((j, p) => {
    const c = classes[j]!;
    const last = bands[bands.length - 1];
    if (last && last.name === c) last.count++;
    else bands.push({ name: c, start: p, count: 1 });
  });
  return { order, position, bands };
}
