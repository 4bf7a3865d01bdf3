// An episode seen as StepRows (the shape channels and the scorer consume).
import type { StepRows } from '../score/channel.js';
import type { Episode } from './episodes.js';

export function episodeRows(e: Episode): StepRows {
  return { length: e.length, episode: new Int32Array(e.length).fill(e.episode), step: e.step, hidden: e.hidden, columns: e.columns };
}
