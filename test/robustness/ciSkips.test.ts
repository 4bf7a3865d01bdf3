// CI cannot pass on skipped tests (issue 17): .ci/run fails when pip cannot install the
// interop readers, and under THOUGHTLENS_CI=1 a test that would skip for a dependency CI
// installs fails instead.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/tmp.js';

const ROOT = resolve(import.meta.dirname, '../..');

describe('CI and skipped tests', () => {
  it('.ci/run stops with FAIL when pip cannot install the python readers (no retries, 5 s timeout)', () => {
    const bin = join(tempDir(), 'bin');
    mkdirSync(bin);
    const log = join(bin, 'calls');
    // python3 that has none of the modules and whose pip fails, recording its arguments.
    writeFileSync(join(bin, 'python3'), `#!/bin/sh\necho "$@" >> ${log}\nexit 1\n`);
    chmodSync(join(bin, 'python3'), 0o755);
    const npm = join(bin, 'npm');
    writeFileSync(npm, `#!/bin/sh\necho "npm must not run" >&2\nexit 3\n`);
    chmodSync(npm, 0o755);
    // The python section of .ci/run and what follows it (not the apt-get section before it).
    const text = readFileSync(join(ROOT, '.ci/run'), 'utf8');
    const from = text.indexOf('echo "== python readers');
    expect(from).toBeGreaterThan(0);
    const r = spawnSync('bash', ['-c', `set -euo pipefail\n${text.slice(from)}`], { cwd: ROOT, env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, PYTHON: join(bin, 'python3') }, encoding: 'utf8' });
    // The stub is named by $PYTHON: a bash whose startup puts pyenv's shims first on PATH
    // (seen on these machines) would otherwise run the real python3 before it.
    expect(r.status, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/FAIL: pip could not install pyarrow polars safetensors numpy duckdb/);
    expect(r.stderr).not.toMatch(/npm must not run/);
    const calls = readFileSync(log, 'utf8');
    expect(calls).toMatch(/-m pip install .*--retries 0 --timeout 5 pyarrow polars safetensors numpy duckdb/);
  });

  it('under THOUGHTLENS_CI=1 a missing python module or Chromium throws instead of skipping', () => {
    const script = `
      import { pythonMissing } from './test/helpers/python.ts';
      import { ciRequires } from './test/helpers/ciRequires.ts';
      const out = [];
      try { pythonMissing('no_such_module_tl17'); out.push('skipped'); } catch (e) { out.push('threw: ' + e.message); }
      try { ciRequires(true, 'Chromium at /nowhere'); out.push('skipped'); } catch (e) { out.push('threw: ' + e.message); }
      console.log(JSON.stringify(out));`;
    const run = (ci: string) =>
      spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT, env: { ...process.env, THOUGHTLENS_CI: ci }, encoding: 'utf8' });
    const ci = JSON.parse(run('1').stdout) as string[];
    expect(ci[0]).toMatch(/^threw: THOUGHTLENS_CI=1 but a dependency CI installs is missing.*no_such_module_tl17/);
    expect(ci[1]).toMatch(/^threw: .*Chromium at \/nowhere/);
    expect(JSON.parse(run('').stdout)).toEqual(['skipped', 'skipped']);
    expect(spawnSync('grep', ['-c', 'export THOUGHTLENS_CI=1', join(ROOT, '.ci/run')], { encoding: 'utf8' }).stdout.trim()).toBe('1');
  }, 30_000);
});
