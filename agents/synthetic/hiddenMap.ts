// The contract between the generator and a family's map from an agent's thoughts to its
// hidden state. Maps with memory (the recurrent family) keep it in a caller-owned state
// vector, zeroed at the start of each episode, so a map object holds no per-episode state.

export interface MixingLayerSummary {
  in: number;
  out: number;
  gain: number;
  singularMax: number;
  singularMin: number;
  condition: number;
}

/** What structure.json says about an agent's map (agents[].mixing). */
export interface MixingSummary {
  nonlinearity: string;
  slope: number;
  dims: number[];
  layers: MixingLayerSummary[];
  /** Maps with memory: h_t = φ(leak·R·h_{t−1} + …). */
  recurrence?: { leak: number; matrix: string };
  /** Maps of rank below their thought count (the superposed family): k directions in an m-dim subspace. */
  superposition?: { subspace: number; thoughts: number; maxAbsCosine: number; meanAbsCosine: number };
  /**
   * Transformer-like maps (the layernorm-residual family): the bias RMS relative to the
   * embedding's (`offset`), the MLP branch's RMS relative to the stream's (`mlp`), the bound
   * ‖W₂‖·‖W₁‖ on the branch's Lipschitz constant, and whether `inverse` recovers the thoughts.
   */
  layerNorm?: { epsilon: number; offset: number; mlp: number; lipschitzBound: number; invertible: boolean };
}

export interface HiddenMap {
  readonly inputSize: number;
  readonly outputSize: number;
  /** Length of the state carried from step to step (0: the map has no memory). */
  readonly stateSize: number;
  /**
   * Maps `rows` consecutive steps of one episode (rows × inputSize) to hidden states
   * (rows × outputSize), noise-free. `state` (stateSize floats, zeros at an episode's start)
   * is read and updated by maps with memory.
   */
  forward(input: Float64Array, rows: number, out: Float64Array, state?: Float64Array): void;
  /** Recovers the input of one noise-free output row (`previous`: the state before it, zeros if absent). */
  inverse(output: ArrayLike<number>, previous?: ArrayLike<number>): Float64Array;
  summary(): MixingSummary;
  /** One line for run.json agents[].model. */
  describe(): string;
}

/** The summary of one linear map (singular values descending, gain included). */
export function layerSummary(inSize: number, outSize: number, gain: number, singular: ArrayLike<number>): MixingLayerSummary {
  const max = singular[0]!;
  const min = singular[singular.length - 1]!;
  return { in: inSize, out: outSize, gain: round(gain), singularMax: round(max), singularMin: round(min), condition: round(max / min) };
}

function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
