// Behavioural events for evaluation only, from truth. Where a run carries truth/conflicts.json,
// its divergence steps are the conflicts every figure is scored against, whatever the run's own
// behaviour columns say: a run that records no behaviour (its detector fitted with events
// 'none'), and a run whose behaviour rule (e.g. 'actions differ') also fires where nothing was
// planted — those onsets are not conflicts the truth knows of, so they are neither detections to
// make nor steps taken out of the null. The detector never sees these events; only the scored
// episodes' event rows are replaced before the outcomes are computed.
import type { TruthConflict } from '../input/truth.js';
import type { ScoredEpisode } from './evaluate.js';

/**
 * The scored episodes with `active`/`onsets` set at each true conflict's divergence step, and
 * cleared in episodes where truth plants nothing.
 */
export function withTruthDivergence(episodes: readonly ScoredEpisode[], truth: readonly TruthConflict[]): ScoredEpisode[] {
  return episodes.map((e) => {
    const mine = truth.filter((c) => c.episode === e.episode);
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

/** How many behavioural onsets of the scored episodes lie at no truth divergence (within `tolerance` steps). */
export function onsetsOutsideTruth(episodes: readonly ScoredEpisode[], truth: readonly TruthConflict[], tolerance: number): number {
  let n = 0;
  for (const e of episodes) {
    const mine = truth.filter((c) => c.episode === e.episode);
    for (const o of e.onsets) if (!mine.some((c) => Math.abs(c.divergenceStep - e.step[o]!) <= tolerance)) n++;
  }
  return n;
}
