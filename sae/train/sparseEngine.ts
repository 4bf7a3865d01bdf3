// Placeholder until the sparse engine lands: not supported for any config.
import type { ResolvedSaeConfig } from '../config.js';
import type { ParamSet } from '../model/params.js';
import { DenseEngine } from './denseEngine.js';

export function sparseSupported(_cfg: ResolvedSaeConfig): boolean {
  return false;
}

export class SparseEngine extends DenseEngine {
  constructor(cfg: ResolvedSaeConfig, params: ParamSet) {
    super(cfg, params);
  }
}
