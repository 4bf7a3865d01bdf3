import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeJoint, encodeRun, initParams, makeCheckpointCfg, readCodes, resolveSaeConfig, selectBackend, type SaeModel } from '../../../sae/index.js';
import { openRun } from '../../../data/index.js';
import { tempDir } from '../../helpers/tmp.js';
import { writePairedRun } from '../pairedData.js';

beforeAll(async () => {
  await selectBackend('cpu');
});

describe('encodeRun / readCodes', () => {
  it('writes sparse codes per step that read back (in JS and pyarrow) equal to the dense code', () => {
    const root = tempDir();
    const data = writePairedRun(join(root, 'run'), { rows: 300, dims: [6, 5], shared: 2, private: 1 });
    const cfg = resolveSaeConfig({ agents: [{ id: 'A', dim: 6 }, { id: 'B', dim: 5 }], latents: 12, k: 3 });
    const norms = cfg.agents.map((a) => ({ mean: new Float32Array(a.dim), scale: 1 }));
    const base = { cfg, params: initParams(cfg), norms, threshold: 0.2 };
    const model: SaeModel = { ...base, meta: makeCheckpointCfg(base, 'cpu', 'dense', { step: 0, pairsSeen: 0, threshold: 0.2, runs: [], finished: true }), dir: join(root, 'ck') };
    const classes = Array.from({ length: 12 }, (_, j) => (j < 6 ? 'shared' : 'private-A')) as never;
    const meta = encodeRun(model, data.dir, { name: 'ck', classes, chunkRows: 128 });
    expect(meta.rows).toBe(300);
    const codes = readCodes(data.dir, 'ck');
    expect(codes.meta.classes[7]).toBe('private-A');
    expect(codes.rows).toBe(300);
    const b = openRun(data.dir).joined().next().value!;
    const z = encodeJoint(model, b.hidden.map((h: Float32Array) => h.slice()), b.length);
    for (let r = 0; r < 20; r++) {
      const dense = new Float32Array(12);
      for (let i = codes.offsets[r]!; i < codes.offsets[r + 1]!; i++) dense[codes.indices[i]!] = codes.values[i]!;
      expect(Array.from(dense)).toEqual(Array.from(z.subarray(r * 12, (r + 1) * 12)));
      expect(codes.episode[r]).toBe(b.episode[r]);
      expect(codes.step[r]).toBe(b.step[r]);
    }
    const py = execFileSync('python3', ['-c', `import pyarrow as pa,sys; t=pa.ipc.open_stream(sys.argv[1]).read_all(); print(t.num_rows, sum(len(x) for x in t.column('indices').to_pylist()))`, join(data.dir, 'codes', 'ck.arrows')], { encoding: 'utf8' });
    expect(py.trim()).toBe(`300 ${codes.indices.length}`);
    expect(codes.meta.signed).toBeUndefined();
  });

  it('records the split\'s signed pairs with the decoder norms that combine them', () => {
    const root = tempDir();
    const data = writePairedRun(join(root, 'run'), { rows: 50, dims: [6, 5], shared: 2, private: 1 });
    const cfg = resolveSaeConfig({ agents: [{ id: 'A', dim: 6 }, { id: 'B', dim: 5 }], latents: 4, k: 2 });
    const norms = cfg.agents.map((a) => ({ mean: new Float32Array(a.dim), scale: 1 }));
    const params = initParams(cfg);
    const base = { cfg, params, norms, threshold: 0.2 };
    const model: SaeModel = { ...base, meta: makeCheckpointCfg(base, 'cpu', 'dense', { step: 0, pairsSeen: 0, threshold: 0.2, runs: [], finished: true }), dir: join(root, 'ck') };
    const meta = encodeRun(model, data.dir, { name: 'ck', signed: [2, -1, 0, -1] });
    expect(meta.signed).toEqual([2, -1, 0, -1]);
    // signedScale_j = ‖D[j]‖ over both agents' decoder rows.
    const row = (j: number) => [...(params['dec.A.W']!.data as Float32Array).slice(j * 6, j * 6 + 6), ...(params['dec.B.W']!.data as Float32Array).slice(j * 5, j * 5 + 5)];
    const norm = (v: number[]) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));
    expect(meta.signedScale![0]).toBeCloseTo(norm(row(0)), 5);
    expect(meta.signedScale![2]).toBeCloseTo(norm(row(2)), 5);
    expect(readCodes(data.dir, 'ck').meta.signed).toEqual([2, -1, 0, -1]);
  });
});
