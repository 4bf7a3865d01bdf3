// Step labels for learning and evaluation, from event onsets, a horizon H and an
// aftermath length (`after`, default the rest of the episode):
//  1  a behavioural conflict starts within the next H steps (t_e − H ≤ t < t_e), or, where
//     the conflict's true onset t_0 is known (`starts`), t_0 ≤ t < t_e: a step before the
//     drift began is null however close to the divergence it lies;
//  0  null: no conflict in progress, none starting within H steps, not in an aftermath;
// −1  ignored: the conflict state itself, and `after` steps from each onset on. Once agents
//     have acted apart, their states need not agree any more: those steps are neither
//     evidence of agreement (for fitting and calibration) nor false alarms.

export function stepLabels(
  step: ArrayLike<number>,
  active: ArrayLike<number>,
  onsets: readonly number[],
  horizon: number,
  after = Infinity,
  /** Per onset, the first step of its window (the true onset); null or absent: t_e − H. */
  starts?: readonly (number | null)[],
): Int8Array {
  const n = step.length;
  const y = new Int8Array(n);
  for (let r = 0; r < n; r++) if (active[r]) y[r] = -1;
  for (const o of onsets) {
    const te = step[o]!;
    for (let r = 0; r < n; r++) {
      const t = step[r]!;
      if (t >= te && t <= te + after) y[r] = -1;
    }
  }
  onsets.forEach((o, i) => {
    const te = step[o]!;
    const t0 = starts?.[i] ?? te - horizon;
    for (let r = 0; r < n; r++) {
      const t = step[r]!;
      if (t >= t0 && t < te && y[r] === 0) y[r] = 1;
    }
  });
  return y;
}
