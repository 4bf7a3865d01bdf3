// Tests skip where an optional dependency (pyarrow, polars, safetensors, Chromium) is
// missing on a developer's machine. CI installs them all (.ci/run sets THOUGHTLENS_CI=1):
// there a missing dependency must fail the run, not turn into a green run of skips.

/** Returns `missing` (the skip reason) outside CI; under THOUGHTLENS_CI=1 throws instead. */
export function ciRequires<T extends string | null | boolean>(missing: T, what = String(missing)): T {
  const absent = typeof missing === 'boolean' ? missing : missing !== null;
  if (absent && process.env.THOUGHTLENS_CI === '1') {
    throw new Error(`THOUGHTLENS_CI=1 but a dependency CI installs is missing, so tests would be skipped: ${what}`);
  }
  return missing;
}
