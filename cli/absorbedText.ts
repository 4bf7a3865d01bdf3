// One line on the uses the split dropped as absorbed (sae/split/absorbedUse.ts), for `train` and
// `split`: '' when none was dropped.
import type { SplitResult } from '../sae/index.js';

export function absorbedText(split: Pick<SplitResult, 'absorbed' | 'classes'> | undefined): string {
  const dropped = (split?.absorbed ?? []).flatMap((uses, j) => uses.map((u) => ({ j, ...u })));
  if (!dropped.length) return '';
  const shown = dropped.slice(0, 4).map((d) => `${d.j} (${d.agent} repeats ${d.latent}, cos ${d.cos.toFixed(2)}) → ${split!.classes[d.j]}`);
  const more = dropped.length > shown.length ? `, and ${dropped.length - shown.length} more` : '';
  return `absorbed   ${dropped.length} use${dropped.length === 1 ? '' : 's'} dropped — an agent's block of the latent only repeats, weakly, the direction of a latent it shares with the other user (a child's latent carrying its shared parent; docs/SPLIT.md): ${shown.join('; ')}${more}`;
}
