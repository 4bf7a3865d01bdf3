// The hidden state recorded for a scripted node: its protocol state as a fixed-size vector
// (one-hot of the belief modulo `slots`, then the other state fields, scaled to about ±1), so
// a scripted network is recordable like a learned one; the model field says which it is.
export function stateVector(slots: number, belief: number, fields: readonly number[]): Float32Array {
  const v = new Float32Array(slots + fields.length);
  if (belief >= 0) v[belief % slots] = 1;
  else v[slots - 1] = -1;
  fields.forEach((f, i) => (v[slots + i] = f));
  return v;
}
