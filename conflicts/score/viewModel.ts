// The shared view: each agent's state ALONE mapped onto a common set of latent
// coordinates, so two agents' readings of what they share can be compared. Any source of
// such views plugs in through SharedViewModel: the paired dictionary's shared latents
// (ridge maps from each agent's state onto the joint code), the same without the split,
// or canonical correlation of raw states (no dictionary).
import { FeatureMap, type FeatureMapJson } from './featureMap.js';
import { LinearMap, type LinearMapJson } from './linearMap.js';
import { DetectorFormatError } from '../errors.js';

export interface ViewLatent {
  /** Latent index in its source (dictionary latent id, canonical component number). */
  id: number;
  /** Split class from the dictionary ('shared', 'private-A', …) or the source's own label. */
  class: string;
  label: string;
}

export interface SharedViewModel {
  /** What the views are: 'dictionary-shared', 'dictionary-all', 'cca-raw', … */
  readonly kind: string;
  /** The two agents compared, in the order of `views`. */
  readonly agents: readonly [string, string];
  readonly latents: readonly ViewLatent[];
  /** rows × K views of each agent, from that agent's rows × d_a states alone. */
  views(hidden: readonly [ArrayLike<number>, ArrayLike<number>], rows: number): [Float32Array, Float32Array];
  /** How well each view reproduces its target on reference data (R² per agent), if known. */
  readonly quality?: Record<string, number>;
  toJSON(): ViewModelJson;
}

export interface ViewModelJson {
  kind: string;
  agents: [string, string];
  latents: ViewLatent[];
  maps: [LinearMapJson, LinearMapJson];
  /** Nonlinear input expansion per agent, applied before the maps (absent: raw states). */
  features?: [FeatureMapJson, FeatureMapJson];
  quality?: Record<string, number>;
}

/** Views that are affine maps of each agent's state, or of its random-feature expansion (ridge, canonical correlation). */
export class LinearViewModel implements SharedViewModel {
  constructor(
    readonly kind: string,
    readonly agents: readonly [string, string],
    readonly latents: readonly ViewLatent[],
    readonly maps: readonly [LinearMap, LinearMap],
    readonly quality?: Record<string, number>,
    readonly features?: readonly [FeatureMap, FeatureMap],
  ) {
    if (maps[0].dOut !== latents.length || maps[1].dOut !== latents.length) {
      throw new DetectorFormatError(`view model '${kind}': maps give ${maps[0].dOut}/${maps[1].dOut} views for ${latents.length} latents`);
    }
  }

  views(hidden: readonly [ArrayLike<number>, ArrayLike<number>], rows: number): [Float32Array, Float32Array] {
    const f = this.features;
    return [
      this.maps[0].apply(f ? f[0].apply(hidden[0], rows) : hidden[0], rows),
      this.maps[1].apply(f ? f[1].apply(hidden[1], rows) : hidden[1], rows),
    ];
  }

  toJSON(): ViewModelJson {
    return {
      kind: this.kind,
      agents: [...this.agents] as [string, string],
      latents: this.latents.map((l) => ({ ...l })),
      maps: [this.maps[0].toJSON(), this.maps[1].toJSON()],
      ...(this.features ? { features: [this.features[0].toJSON(), this.features[1].toJSON()] as [FeatureMapJson, FeatureMapJson] } : {}),
      ...(this.quality ? { quality: { ...this.quality } } : {}),
    };
  }

  static fromJSON(j: ViewModelJson): LinearViewModel {
    if (!Array.isArray(j.maps) || j.maps.length !== 2 || !Array.isArray(j.latents)) {
      throw new DetectorFormatError(`view model '${j.kind}' needs two maps and a latent list`);
    }
    const features = j.features ? ([FeatureMap.fromJSON(j.features[0]), FeatureMap.fromJSON(j.features[1])] as const) : undefined;
    return new LinearViewModel(j.kind, j.agents, j.latents, [LinearMap.fromJSON(j.maps[0]), LinearMap.fromJSON(j.maps[1])], j.quality, features);
  }
}
