import { ThoughtlensError } from '../../data/index.js';

/** A co-player has no exact best-response benchmark (a hidden random timer or table). */
export class OptimumError extends ThoughtlensError {
  constructor(message: string) {
    super('TL_CONFIG', message);
  }
}
