import { ThoughtlensError } from '../../data/index.js';

/** A checkpoint folder is missing, unreadable or inconsistent; the message names the file and field. */
export class CheckpointError extends ThoughtlensError {
  constructor(message: string, file?: string) {
    super('TL_CHECKPOINT', message, file === undefined ? {} : { file });
  }
}
