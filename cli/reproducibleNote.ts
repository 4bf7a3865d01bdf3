// A note `train` prints when its size probe found no latent a second seed reproduces: the sign,
// measured in docs/SPLIT.md ("Known limits", dense thoughts), that the hidden states hold no
// sparse structure a dictionary finds reliably — with always-on Gaussian thoughts
// (`foreign_generator.py --dense`, three seeds) the probe reproduced 0 of 72 latents, `train`
// sized the dictionary at 2 latents and the split matched no thought (F1 0.00). A note, not a
// decision: the checkpoint is written as always.

/** The size probe's count of reproduced latents (`meta.training.size.probe.stable`), if it ran. */
export function reproducedByProbe(size: { probe: unknown } | undefined): number | null {
  const probe = size?.probe as { stable?: unknown } | undefined;
  return typeof probe?.stable === 'number' ? probe.stable : null;
}

/** One line when the size probe ran and reproduced no latent; nothing otherwise. */
export function unreproducibleNote(size: { probe: unknown } | undefined): string[] {
  if (reproducedByProbe(size) !== 0) return [];
  return [
    'no latent of the size probe was reproduced by a second seed (code r ≥ 0.9): the states show no sparse structure a dictionary finds reliably (e.g. always-on Gaussian factors), the size it chose is a floor, and the split is not evidence of what the agents share (docs/SPLIT.md, known limits); raw-state CCA (`detect --views cca`) needs no dictionary',
  ];
}
