// The synthetic ground truth can be scored without thoughtlens: pyarrow reads the latents,
// joins them to the agent streams, and finds the planted conflicts where conflicts.json says.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { recordSynthetic } from '../../../agents/index.js';
import { pythonMissing, runPython } from '../../helpers/python.js';
import { tempDir } from '../../helpers/tmp.js';

const missing = pythonMissing('pyarrow', 'numpy');

describe.skipIf(missing !== null)(`synthetic truth read by pyarrow${missing ? ` (skipped: ${missing})` : ''}`, () => {
  it('reads latents and streams with matching keys, and the copies diverge at the planted onsets', async () => {
    const dir = join(tempDir(), 'syn');
    await recordSynthetic(dir, { episodes: 8, steps: 60, hiddenSize: 24, seed: 4, conflicts: { fraction: 0.5, lag: 4 } });
    const script = `
import json, sys
import numpy as np, pyarrow.ipc as ipc
d = sys.argv[1]
lat = ipc.open_stream(d + '/truth/latents.arrows').read_all()
a = ipc.open_stream(d + '/agents/A.arrows').read_all()
s = json.load(open(d + '/truth/structure.json'))
c = json.load(open(d + '/truth/conflicts.json'))
K = s['thoughtCount']
A = lat['thoughts_A'].combine_chunks().flatten().to_numpy().reshape(-1, K)
B = lat['thoughts_B'].combine_chunks().flatten().to_numpy().reshape(-1, K)
ep = lat['episode'].to_numpy(); st = lat['step'].to_numpy()
ok_keys = bool((ep == a['episode'].to_numpy()).all() and (st == a['step'].to_numpy()).all())
first = []
for x in c['conflicts']:
    rows = np.where(ep == x['episode'])[0]
    diff = np.abs(A[rows][:, x['thoughts']] - B[rows][:, x['thoughts']]).max(axis=1) > 0
    first.append(int(st[rows][diff.argmax()]) if diff.any() else -1)
ev = a['diverged'].to_numpy(zero_copy_only=False)
print(json.dumps({'rows': lat.num_rows, 'keys': ok_keys, 'first': first, 'onsets': [x['onsetStep'] for x in c['conflicts']],
  'events': sorted(int(e) * 1000 + int(t) for e, t in zip(ep[ev], st[ev])),
  'planted': sorted(x['episode'] * 1000 + x['divergenceStep'] for x in c['conflicts'])}))
`;
    const out = JSON.parse(runPython(script, [dir])) as { rows: number; keys: boolean; first: number[]; onsets: number[]; events: number[]; planted: number[] };
    expect(out.rows).toBe(480);
    expect(out.keys).toBe(true);
    expect(out.first).toEqual(out.onsets);
    expect(out.events).toEqual(out.planted);
    expect(out.planted.length).toBe(4);
  });
});
