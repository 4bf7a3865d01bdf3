// Flags are rising edges of score ≥ threshold. After a flag, the detector re-arms only
// once the score stayed below the threshold for `rearm` consecutive steps, so one
// sustained conflict is one flag rather than a flag per step. State is per episode.

export interface FlaggerState {
  armed: boolean;
  below: number;
}

export function newFlaggerState(): FlaggerState {
  return { armed: true, below: 0 };
}

/** True when this step raises a flag. */
export function flagStep(s: FlaggerState, score: number, threshold: number, rearm: number): boolean {
  if (score >= threshold) {
    s.below = 0;
    if (s.armed) {
      s.armed = false;
      return true;
    }
    return false;
  }
  if (!s.armed && ++s.below >= rearm) s.armed = true;
  return false;
}

/** Row indices of the flags of one episode's scores. */
export function flagRows(scores: ArrayLike<number>, threshold: number, rearm: number): number[] {
  const s = newFlaggerState();
  const out: number[] = [];
  for (let r = 0; r < scores.length; r++) if (flagStep(s, scores[r]!, threshold, rearm)) out.push(r);
  return out;
}
