// Checkpoint and SAELens export read back by an independent reader (Python standard
// library: struct + json), and the folded SAELens view computes what the dictionary does.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  CheckpointError,
  decodeAgent,
  encodeAgentAlone,
  exportSaelens,
  initParams,
  loadCheckpoint,
  makeCheckpointCfg,
  resolveSaeConfig,
  saveCheckpoint,
  selectBackend,
  type SaeModel,
} from '../../../sae/index.js';
import { makeRng } from '../../../util/random.js';
import { tempDir } from '../../helpers/tmp.js';

const PY_READER = `
import json, struct, sys
def read(path):
    b = open(path, 'rb').read()
    n = struct.unpack('<Q', b[:8])[0]
    h = json.loads(b[8:8 + n])
    out = {}
    for k, v in h.items():
        if k == '__metadata__': continue
        s, e = v['data_offsets']
        raw = b[8 + n + s:8 + n + e]
        assert v['dtype'] == 'F32', v['dtype']
        out[k] = {'shape': v['shape'], 'sum': sum(struct.unpack('<%df' % (len(raw) // 4), raw)), 'first': struct.unpack('<f', raw[:4])[0] if raw else None}
    return out
print(json.dumps({p: read(p) for p in sys.argv[1:]}))
`;

function makeModel(): SaeModel {
  const cfg = resolveSaeConfig({ agents: [{ id: 'A', dim: 6 }, { id: 'B', dim: 4 }], latents: 10, k: 3, seed: 9 });
  const rng = makeRng(4);
  const params = initParams(cfg);
  for (const p of Object.values(params)) for (let i = 0; i < p.data.length; i++) p.data[i]! += 0.1 * rng.normal();
  const norms = cfg.agents.map((a) => ({ mean: Float32Array.from({ length: a.dim }, () => rng.normal()), scale: 0.5 + rng.next() }));
  const base = { cfg, params, norms, threshold: 0.3 };
  return { ...base, meta: makeCheckpointCfg(base, 'cpu', 'dense', { step: 7, pairsSeen: 70, threshold: 0.3, runs: [], finished: true }) };
}

beforeAll(async () => {
  await selectBackend('cpu');
});

describe('checkpoints', () => {
  it('round-trip and are readable by a Python standard-library reader', () => {
    const dir = join(tempDir(), 'ck');
    const model = makeModel();
    saveCheckpoint(dir, model, { split: { classes: [] }, metrics: { l0: 1 } });
    const back = loadCheckpoint(dir);
    expect(back.meta.training.step).toBe(7);
    expect(back.norms[1]!.scale).toBe(model.norms[1]!.scale);
    for (const [k, v] of Object.entries(model.params)) expect(Array.from(back.params[k]!.data)).toEqual(Array.from(v.data));
    const script = join(tempDir(), 'read.py');
    writeFileSync(script, PY_READER);
    const py = JSON.parse(execFileSync('python3', [script, join(dir, 'model.safetensors')], { encoding: 'utf8' }))[join(dir, 'model.safetensors')];
    expect(py['enc.A.W'].shape).toEqual([6, 10]);
    expect(py['dec.B.W'].shape).toEqual([10, 4]);
    expect(py['norm.A.mean'].shape).toEqual([6]);
    expect(py['enc.b'].first).toBeCloseTo(model.params['enc.b']!.data[0]!, 6);
  });

  it('say what is wrong when a tensor does not match cfg.json', () => {
    const dir = join(tempDir(), 'ck');
    const model = makeModel();
    saveCheckpoint(dir, { ...model, params: { ...model.params, 'dec.A.W': { data: new Float32Array(12), shape: [2, 6] } } });
    expect(() => loadCheckpoint(dir)).toThrow(CheckpointError);
    expect(() => loadCheckpoint(dir)).toThrow(/tensor 'dec.A.W' has shape \[2,6\] but cfg.json implies \[10,6\]/);
    const cfg = JSON.parse(readFileSync(join(dir, 'cfg.json'), 'utf8'));
    cfg.config.latents = 'many';
    writeFileSync(join(dir, 'cfg.json'), JSON.stringify(cfg));
    expect(() => loadCheckpoint(dir)).toThrow(/'latents'/);
  });

  it('export a SAELens view whose folded weights reproduce the agent-alone encoder and decoder', () => {
    const model = makeModel();
    const out = join(tempDir(), 'saeA');
    const res = exportSaelens(model, 'A', out);
    expect(res.cfg).toMatchObject({ architecture: 'topk', d_in: 6, d_sae: 10, k: 3, apply_b_dec_to_input: true });
    const script = join(tempDir(), 'check.py');
    writeFileSync(
      script,
      PY_READER.replace("print(json.dumps({p: read(p) for p in sys.argv[1:]}))", '') +
        `
import json, struct, sys
b = open(sys.argv[1], 'rb').read(); n = struct.unpack('<Q', b[:8])[0]; h = json.loads(b[8:8+n])
def t(name):
    s, e = h[name]['data_offsets']; raw = b[8+n+s:8+n+e]
    return list(struct.unpack('<%df' % (len(raw)//4), raw)), h[name]['shape']
We, (d, m) = t('W_enc'); be, _ = t('b_enc'); Wd, _ = t('W_dec'); bd, _ = t('b_dec')
x = json.loads(sys.argv[2])
pre = [sum((x[i] - bd[i]) * We[i*m + j] for i in range(d)) + be[j] for j in range(m)]
z = [max(0.0, p) for p in pre]
xh = [sum(z[j] * Wd[j*d + i] for j in range(m)) + bd[i] for i in range(d)]
print(json.dumps({'z': z, 'xhat': xh}))
`,
    );
    const x = Float32Array.from([0.3, -1, 2, 0.5, 0, 1.5]);
    const py = JSON.parse(execFileSync('python3', [script, join(out, 'sae_weights.safetensors'), JSON.stringify(Array.from(x))], { encoding: 'utf8' }));
    const z = encodeAgentAlone(model, 0, x, 1, { select: 'relu' });
    py.z.forEach((v: number, j: number) => expect(v).toBeCloseTo(z[j]!, 4));
    const xh = decodeAgent(model, 0, Float32Array.from(py.z), 1);
    py.xhat.forEach((v: number, i: number) => expect(v).toBeCloseTo(xh[i]!, 4));
  });
});
