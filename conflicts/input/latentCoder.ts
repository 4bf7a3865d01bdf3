// What the detector needs from a paired dictionary: the joint latent code of steps (all
// agents' states together) and the split class of every latent. The dictionary's
// checkpoint loader is adapted to this in dictionaryCoder.ts; tests can plug in anything.

export interface LatentCoder {
  /** Agent ids in the order `encode` expects their states. */
  readonly agents: readonly string[];
  readonly nLatents: number;
  /** Per latent: 'shared', 'private-<agent>', 'individual(<agent>)', 'dead', … */
  readonly classes: readonly string[];
  /** Joint code, rows × nLatents (dense), of rows × d_a states per agent. */
  encode(hidden: readonly ArrayLike<number>[], rows: number): Float32Array;
  /** Where it came from (checkpoint path, backend), recorded in the detector. */
  readonly source?: Record<string, unknown>;
}

export function isSharedClass(c: string): boolean {
  return c === 'shared';
}

export function isDeadClass(c: string): boolean {
  return c === 'dead';
}
