// A note `train` prints when its size probe found no latent a second seed reproduces: the sign,
// measured in docs/SPLIT.md ("Known limits", dense thoughts), that the hidden states hold no
// sparse structure a dictionary finds reliably — with always-on Gaussian thoughts
// (`foreign_generator.py --dense`, three seeds) the probe reproduced 0 of 72 latents, `train`
// sized the dictionary at 2 latents and the split matched no thought (F1 0.00). A note, not a
// decision: the checkpoint is written as always.
//
// A second note when the probe reproduced some latents but fewer than there are agents: measured
// on a 16-node credulous consensus network (docs/RESULTS.md, networks; bench/agents/
// networkConflicts.bench.ts --latents auto --k auto) the probe reproduced 1–3 latents, `train`
// chose 4–6 and the dictionary flagged 2 of 96 wrong beliefs before a neighbour acted (raw states
// 96 of 96). Such a dictionary cannot give each agent a latent of its own, so its split says
// little; the note points network runs to the neighbour-pair dictionary (train's default for
// them since the fifteenth session) and others to the size by hand.

/** The size probe's count of reproduced latents (`meta.training.size.probe.stable`), if it ran. */
export function reproducedByProbe(size: { probe: unknown } | undefined): number | null {
  const probe = size?.probe as { stable?: unknown } | undefined;
  return typeof probe?.stable === 'number' ? probe.stable : null;
}

/**
 * One line when the size probe ran and reproduced no latent, or fewer latents than there are
 * agents (`agents`, the run's agent count); nothing otherwise.
 */
export function unreproducibleNote(size: { probe: unknown } | undefined, agents = 2): string[] {
  const stable = reproducedByProbe(size);
  if (stable === 0)
    return [
      'no latent of the size probe was reproduced by a second seed (code r ≥ 0.9): the states show no sparse structure a dictionary finds reliably (e.g. always-on Gaussian factors), the size it chose is a floor, and the split is not evidence of what the agents share (docs/SPLIT.md, known limits); raw-state CCA (`detect --views cca`) needs no dictionary',
    ];
  if (stable !== null && stable < agents)
    return [
      `the size probe reproduced only ${stable} latent${stable === 1 ? '' : 's'} for ${agents} agents (code r ≥ 0.9), so the dictionary cannot give each agent a latent of its own and its split says little; on networks this is measured to miss nearly every conflict (docs/NETWORKS.md) — for a network run drop --over nodes (the neighbour-pair dictionary, train's default for networks, flags as many as raw states), otherwise give the size (--latents, --k) or use raw-state views (\`detect --views cca\`)`,
    ];
  return [];
}
