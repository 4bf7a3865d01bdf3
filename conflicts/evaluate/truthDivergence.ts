// Behavioural events for evaluation only, from truth: a run that records no behaviour (its
// detector was fitted with events 'none') can still be scored against the divergence steps of
// its truth/conflicts.json. The detector never sees them; only the scored episodes' event rows
// are filled in before the outcomes are computed.
import type { TruthConflict } from '../input/truth.js';
import type { ScoredEpisode } from './evaluate.js';

/** The scored episodes with `active`/`onsets` set at each true conflict's divergence step. */
export function withTruthDivergence(episodes: readonly ScoredEpisode[], truth: readonly TruthConflict[]): ScoredEpisode[] {
  return episodes.map((e) => {
    const mine = truth.filter((c) => c.episode === e.episode);
    if (mine.length === 0) return e;
    const active = new Uint8Array(e.step.length);
    const onsets: number[] = [];
    for (const c of mine) {
      // The first recorded step at or after the divergence (a converter may skip steps).
      let r = 0;
      while (r < e.step.length && e.step[r]! < c.divergenceStep) r++;
      if (r < e.step.length && !active[r]) {
        active[r] = 1;
        onsets.push(r);
      }
    }
    onsets.sort((a, b) => a - b);
    return { ...e, active, onsets };
  });
}
