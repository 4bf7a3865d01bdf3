import { ThoughtlensError } from '../../data/index.js';

/** A co-player pool file is wrong; the message names the style entry and field. */
export class PoolError extends ThoughtlensError {
  constructor(message: string, file?: string) {
    super('TL_CONFIG', message, file === undefined ? {} : { file });
  }
}
