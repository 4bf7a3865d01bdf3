// Temporary folders of checkpoint saves that a kill interrupted (.<name>.tmp-<pid>,
// .<name>.old-<pid>) are removed when training starts; those of live processes stay.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { removeStaleCheckpointTemps } from '../../../sae/index.js';
import { makeTestRun } from '../../helpers/makeTestRun.js';
import { runCliCapture } from '../../helpers/runCliCapture.js';
import { tempDir } from '../../helpers/tmp.js';

function deadPid(): number {
  return spawnSync('true').pid!;
}

describe('stale checkpoint temporaries', () => {
  it('train removes .kt.tmp-* and .kt.old-* of dead processes at start, keeps live ones and other names', async () => {
    const ws = tempDir();
    makeTestRun(join(ws, 'runs'), 'r', { episodes: 4, steps: 20 });
    const ck = join(ws, 'ck');
    mkdirSync(ck);
    const dead = [`.kt.tmp-${deadPid()}`, `.kt.old-${deadPid()}`, `.kt.tmp-${deadPid()}`];
    for (const d of dead) {
      mkdirSync(join(ck, d));
      writeFileSync(join(ck, d, 'model.safetensors'), 'x');
    }
    const live = `.kt.tmp-${process.ppid}`;
    mkdirSync(join(ck, live));
    mkdirSync(join(ck, `.other.tmp-${deadPid()}`));
    const train = await runCliCapture(['-w', ws, 'train', 'r', '--out', join(ck, 'kt'), '--steps', '2', '--latents', '8', '--k', '2', '--batch', '8', '--backend', 'wasm']);
    expect(train.code, train.stderr).toBe(0);
    for (const d of dead) expect(existsSync(join(ck, d)), d).toBe(false);
    expect(existsSync(join(ck, live))).toBe(true);
    expect(existsSync(join(ck, 'kt', 'cfg.json'))).toBe(true);
    expect(removeStaleCheckpointTemps(join(ck, 'other'))).toHaveLength(1);
  }, 60_000);
});
