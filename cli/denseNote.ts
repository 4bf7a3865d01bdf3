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
  if (!frequency || !classes) return [];
  const live = frequency.filter((f, j) => classes[j] !== 'dead' && Number.isFinite(f)).sort((a, b) => a - b);
  if (live.length === 0) return [];
  const mid = live.length >> 1;
  const median = live.length % 2 ? live[mid]! : (live[mid - 1]! + live[mid]!) / 2;
  if (median < DENSE_MEDIAN_FREQUENCY) return [];
  const over = live.filter((f) => f > 0.25).length;
  return [
    `the latents fire densely (median ${(100 * median).toFixed(0)}% of steps; ${over} of ${live.length} on over a quarter): the hidden states carry a dense, non-sparse component (e.g. a Gaussian background) that a sparse dictionary models poorly, and the split is not to be trusted (docs/SPLIT.md, known limits)`,
  ];
}
