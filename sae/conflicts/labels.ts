// Step labels for learning and evaluation, from event onsets and a horizon H:
//  1  a behavioural conflict starts within the next H steps (t_e − H ≤ t < t_e);
//  0  null: no conflict in progress and none within H steps either side;
// −1  ignored: the onset step, steps while the conflict state is on, and H steps after it.

export function stepLabels(step: ArrayLike<number>, active: ArrayLike<number>, onsets: readonly number[], horizon: number): Int8Array {
  const n = step.length;
  const y = new Int8Array(n);
  for (let r = 0; r < n; r++) if (active[r]) y[r] = -1;
  for (const o of onsets) {
    const te = step[o]!;
    for (let r = 0; r < n; r++) {
      const t = step[r]!;
      if (t >= te - horizon && t < te) {
        if (y[r] !== -1) y[r] = 1;
      } else if (t >= te && t <= te + horizon) {
        y[r] = -1;
      }
    }
  }
  // A pre-event step that is also inside another conflict's aftermath stays ignored;
  // a step before one onset and after another is positive only if not active.
  return y;
}
