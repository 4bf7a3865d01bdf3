// Barrier and command words shared by the sparse engine's main thread and its workers
// (Atomics on the Int32Array `ctl` of SparseBuffers).
export const CTL = { COUNT: 0, GEN: 1, SEQ: 2, CMD: 3, READY: 4, ERROR: 5 } as const;
export const CMD_STEP = 1;
export const CMD_EXIT = 2;

/** A worker thread of the sparse engine failed (a bug: its own error is printed on stderr). */
export class ShardError extends Error {}

/** Waits until all `parties` threads have arrived; throws when a worker reported an error. */
export function barrier(ctl: Int32Array, parties: number): void {
  if (parties <= 1) return;
  const gen = Atomics.load(ctl, CTL.GEN);
  if (Atomics.add(ctl, CTL.COUNT, 1) === parties - 1) {
    Atomics.store(ctl, CTL.COUNT, 0);
    Atomics.add(ctl, CTL.GEN, 1);
    Atomics.notify(ctl, CTL.GEN);
    return;
  }
  // Spin briefly (the other thread is usually close), then sleep.
  let spin = 0;
  while (Atomics.load(ctl, CTL.GEN) === gen) {
    if (++spin > 2000) Atomics.wait(ctl, CTL.GEN, gen, 1000);
    if (Atomics.load(ctl, CTL.ERROR) !== 0) throw new ShardError('a sparse-engine worker failed (its error is on stderr)');
  }
  if (Atomics.load(ctl, CTL.ERROR) !== 0) throw new ShardError('a sparse-engine worker failed (its error is on stderr)');
}
