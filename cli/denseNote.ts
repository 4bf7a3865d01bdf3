// A note `train` prints when the dictionary's latents fire densely: the sign, measured in
// docs/SPLIT.md ("Known limits", dense background), that the hidden states carry a dense
// (non-sparse) component a sparse dictionary models poorly — there the split called nothing
// shared. A note, not a decision: the split is computed as always.

/** The median activation frequency of the live latents at or above this gets a note. */
export const DENSE_MEDIAN_FREQUENCY = 0.2;

/**
 * `train` asks only where it chose the dictionary's size itself (with --latents / --k given,
 * latents fire on about k/m of the steps whatever the states hold).
 * One line when the median activation frequency of the live (not dead) latents is at least
 * DENSE_MEDIAN_FREQUENCY. Measured at the defaults: 0.05–0.16 on 37 runs (the seven synthetic
 * families at three seeds, six foreign-generator runs, ten of the second foreign generator with
 * a weak or no background), 0.25–0.51 on the seven runs whose dense background outweighs the
 * thoughts, where no latent or one was labelled shared (docs/RESULTS.md, "A second foreign
 * generator").
 */
export function denseNote(frequency: readonly number[] | undefined, classes: readonly string[] | undefined): string[] {
  const m = liveFrequencies(frequency, classes);
  if (!m || m.median < DENSE_MEDIAN_FREQUENCY) return [];
  const over = m.live.filter((f) => f > 0.25).length;
  return [
    `the latents fire densely (median ${percent(m.median)} of steps; ${over} of ${m.live.length} on over a quarter): the hidden states carry a dense, non-sparse component (e.g. a Gaussian background) that a sparse dictionary models poorly, and the split is not to be trusted (docs/SPLIT.md, known limits)`,
  ];
}

/** The median activation frequency of the live latents as `train`'s lines print it ('28%'), or null without any. */
export function medianFiring(frequency: readonly number[] | undefined, classes: readonly string[] | undefined): string | null {
  const m = liveFrequencies(frequency, classes);
  return m ? percent(m.median) : null;
}

function liveFrequencies(frequency: readonly number[] | undefined, classes: readonly string[] | undefined): { live: number[]; median: number } | null {
  if (!frequency || !classes) return null;
  const live = frequency.filter((f, j) => classes[j] !== 'dead' && Number.isFinite(f)).sort((a, b) => a - b);
  if (live.length === 0) return null;
  const mid = live.length >> 1;
  return { live, median: live.length % 2 ? live[mid]! : (live[mid - 1]! + live[mid]!) / 2 };
}

function percent(f: number): string {
  return `${(100 * f).toFixed(0)}%`;
}
