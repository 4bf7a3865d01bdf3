// import-sae: SAELens folders and dictionary_learning crosscoder state dicts written the way
// those libraries lay them out (safetensors from torch in Python), into checkpoints whose
// codes and reconstructions equal the reference implementation's; and the round trip
// checkpoint → export-saelens → import-sae → export-saelens, exact to float tolerance.
import { beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { readSafetensors } from '../../../data/index.js';
import {
  decodeAgent,
  encodeJoint,
  exportSaelens,
  initParams,
  loadCheckpoint,
  makeCheckpointCfg,
  resolveSaeConfig,
  saveCheckpoint,
  selectBackend,
  type SaeConfig,
  type SaeModel,
} from '../../../sae/index.js';
import { makeRng } from '../../../util/random.js';
import { makeTestRun } from '../../helpers/makeTestRun.js';
import { pythonMissing, runPython } from '../../helpers/python.js';
import { runCliCapture } from '../../helpers/runCliCapture.js';
import { tempDir } from '../../helpers/tmp.js';

// Under THOUGHTLENS_CI=1 a missing module fails instead of skipping.
const noTorch = pythonMissing('torch', 'safetensors', 'numpy');

beforeAll(async () => {
  await selectBackend('cpu');
});

function makeModel(c: Partial<SaeConfig>, threshold: number): SaeModel {
  const cfg = resolveSaeConfig({ agents: [{ id: 'A', dim: 6 }, { id: 'B', dim: 4 }], latents: 10, k: 3, seed: 9, ...c });
  const rng = makeRng(4);
  const params = initParams(cfg);
  for (const p of Object.values(params)) for (let i = 0; i < p.data.length; i++) p.data[i]! += 0.1 * rng.normal();
  const norms = cfg.agents.map((a) => ({ mean: Float32Array.from({ length: a.dim }, () => rng.normal()), scale: 0.5 + rng.next() }));
  const base = { cfg, params, norms, threshold };
  return { ...base, meta: makeCheckpointCfg(base, 'cpu', 'dense', { step: 7, pairsSeen: 70, threshold, runs: [], finished: true }) };
}

function randomRows(rows: number, d: number, seed: number): Float32Array {
  const rng = makeRng(seed);
  return Float32Array.from({ length: rows * d }, () => 2 * rng.normal());
}

function expectClose(a: ArrayLike<number>, b: ArrayLike<number>, tol: number): void {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  expect(worst).toBeLessThanOrEqual(tol);
}

async function cli(args: string[]): Promise<Record<string, unknown>> {
  const r = await runCliCapture(['--json', ...args]);
  if (r.code !== 0) throw new Error(`thoughtlens ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return JSON.parse(r.stdout) as Record<string, unknown>;
}

describe('import-sae: round trip with export-saelens', () => {
  const cases: [string, Partial<SaeConfig>, number][] = [
    ['batchtopk with a threshold', {}, 0.3],
    ['l1 (ReLU)', { mode: 'l1' }, NaN],
    ['partitioned', { mode: 'partitioned', blocks: { shared: 4, private: { A: 3, B: 3 } } }, 0.2],
  ];
  for (const [name, c, thr] of cases) {
    it(`${name}: views of both agents fold back into a dictionary with the same codes, reconstructions and exports`, async () => {
      const root = tempDir();
      const model = makeModel(c, thr);
      const ck = join(root, 'orig');
      saveCheckpoint(ck, model);
      for (const a of ['A', 'B']) await cli(['export-saelens', ck, '--agent', a, '--out', join(root, `sae-${a}`)]);
      const res = await cli(['import-sae', '--out', join(root, 'back'), '--saelens', `A=${join(root, 'sae-A')}`, '--saelens', `B=${join(root, 'sae-B')}`]);
      expect(res).toMatchObject({ layout: 'shared', mode: model.cfg.mode, latents: 10 });
      const back = loadCheckpoint(join(root, 'back'));
      expect(back.cfg).toEqual(model.cfg);
      expect(Number.isNaN(back.threshold) ? NaN : back.threshold).toBe(thr);
      const xs = [randomRows(32, 6, 1), randomRows(32, 4, 2)];
      for (const select of ['relu', ...(Number.isFinite(thr) ? ['threshold' as const] : [])] as const) {
        const z0 = encodeJoint(model, xs, 32, { select });
        expectClose(encodeJoint(back, xs, 32, { select }), z0, 1e-4);
        for (const a of [0, 1]) expectClose(decodeAgent(back, a, z0, 32), decodeAgent(model, a, z0, 32), 1e-4);
      }
      // Export again: the same SAELens files.
      for (const a of ['A', 'B']) {
        exportSaelens(back, a, join(root, `again-${a}`));
        const t0 = readSafetensors(join(root, `sae-${a}`, 'sae_weights.safetensors')).tensors;
        const t1 = readSafetensors(join(root, `again-${a}`, 'sae_weights.safetensors')).tensors;
        for (const k of ['W_enc', 'b_enc', 'W_dec', 'b_dec']) {
          expect(t1[k]!.shape).toEqual(t0[k]!.shape);
          expectClose(t1[k]!.data as Float32Array, t0[k]!.data as Float32Array, 1e-5);
        }
      }
    });
  }

  it('refuses to join independent SAEs as one shared dictionary, and unsupported architectures, naming the file', async () => {
    const root = tempDir();
    const m1 = makeModel({}, 0.3);
    const m2 = makeModel({ seed: 3 }, 0.3);
    (m2.params['enc.b']!.data as Float32Array)[0]! += 1; // another dictionary: the joint biases disagree
    exportSaelens(m1, 'A', join(root, 'a'));
    exportSaelens(m2, 'B', join(root, 'b'));
    const r = await runCliCapture(['import-sae', '--out', join(root, 'x'), '--layout', 'shared', '--saelens', `A=${join(root, 'a')}`, '--saelens', `B=${join(root, 'b')}`]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/imply different joint biases \(max difference 1\.00\); these SAEs are not views of one dictionary/);
    const auto = await cli(['import-sae', '--out', join(root, 'z'), '--saelens', `A=${join(root, 'a')}`, '--saelens', `B=${join(root, 'b')}`]);
    expect(auto).toMatchObject({ layout: 'separate', mode: 'partitioned', latents: 20 });
    const cfgFile = join(root, 'a', 'cfg.json');
    const { writeFileSync, readFileSync } = await import('node:fs');
    writeFileSync(cfgFile, JSON.stringify({ ...JSON.parse(readFileSync(cfgFile, 'utf8')), architecture: 'jumprelu' }));
    const j = await runCliCapture(['import-sae', '--out', join(root, 'y'), '--saelens', `A=${join(root, 'a')}`, '--saelens', `B=${join(root, 'b')}`]);
    expect(j.code).not.toBe(0);
    expect(j.stderr).toMatch(/SAELens architecture 'jumprelu' is not supported/);
    expect(j.stderr).toContain(cfgFile);
  });
});

// Two independent SAELens SAEs (the layout of sae_lens SAE.save_model: cfg.json +
// sae_weights.safetensors with W_enc [d_in, d_sae], b_enc, W_dec [d_sae, d_in], b_dec),
// written with torch + safetensors; the reference codes and reconstructions computed as
// SAELens's StandardSAE does: relu((x − b_dec) W_enc + b_enc), z W_dec + b_dec.
const SAELENS = `
import json, os, sys, torch
from safetensors.torch import save_file
torch.manual_seed(0)
root = sys.argv[1]
ref = {}
for agent, d, m in (("A", 6, 5), ("B", 4, 3)):
    W_enc = torch.randn(d, m); b_enc = torch.randn(m) * 0.1; W_dec = torch.randn(m, d); b_dec = torch.randn(d)
    os.makedirs(f"{root}/{agent}", exist_ok=True)
    save_file({"W_enc": W_enc, "b_enc": b_enc, "W_dec": W_dec, "b_dec": b_dec}, f"{root}/{agent}/sae_weights.safetensors")
    json.dump({"architecture": "standard", "d_in": d, "d_sae": m, "dtype": "float32", "device": "cpu", "apply_b_dec_to_input": True,
               "normalize_activations": "none", "model_name": "gpt2", "hook_name": f"blocks.{d}.hook_resid_post", "hook_layer": d,
               "context_size": 128, "prepend_bos": True, "dataset_path": "", "reshape_activations": "none"},
              open(f"{root}/{agent}/cfg.json", "w"))
    x = torch.randn(8, d) * 2
    z = torch.relu((x - b_dec) @ W_enc + b_enc)
    ref[agent] = {"x": x.flatten().tolist(), "z": z.flatten().tolist(), "xhat": (z @ W_dec + b_dec).flatten().tolist()}
print(json.dumps(ref))
`;

// A dictionary_learning BatchTopKCrossCoder state dict over two agents (layers): encoder.weight
// [2, d, m], encoder.bias [m], decoder.weight [2, m, d], decoder.bias [2, d], buffers k and
// threshold (also torch.save'd as ae.pt, as the trainer writes it); reference encode with the threshold as BatchTopKCrossCoder.encode does at
// inference (code normalisation: the sum over layers of the decoder row norms).
const CROSSCODER = `
import json, sys, torch
from safetensors.torch import save_file
torch.manual_seed(1)
L, d, m = 2, 5, 12
sd = {"encoder.weight": torch.randn(L, d, m) * 0.5, "encoder.bias": torch.randn(m) * 0.1,
      "decoder.weight": torch.randn(L, m, d) * 0.3, "decoder.bias": torch.randn(L, d),
      "k": torch.tensor(3, dtype=torch.int32), "threshold": torch.tensor(0.4, dtype=torch.float32)}
save_file(sd, sys.argv[1])
torch.save({**sd, "_hub_mixin_config": {"k": 3}}, sys.argv[2])   # what the trainer writes: ae.pt
x = torch.randn(16, L, d)
pre = torch.einsum("bld, ldf -> bf", x, sd["encoder.weight"]) + sd["encoder.bias"]
post = torch.relu(pre)
norm = sd["decoder.weight"].norm(dim=2).sum(dim=0)
f = post * (post * norm > sd["threshold"])
xhat = torch.einsum("bf, lfd -> bld", f, sd["decoder.weight"]) + sd["decoder.bias"]
print(json.dumps({"x": [x[:, l].flatten().tolist() for l in range(L)], "f": f.flatten().tolist(), "relu": post.flatten().tolist(),
                  "xhat": [xhat[:, l].flatten().tolist() for l in range(L)]}))
`;

describe('import-sae: reference files', () => {
  it.skipIf(noTorch !== null)('two SAELens SAEs (separate layout) encode and decode as SAELens does', async () => {
    const root = tempDir();
    const ref = JSON.parse(runPython(SAELENS, [root])) as Record<'A' | 'B', { x: number[]; z: number[]; xhat: number[] }>;
    const res = await cli(['import-sae', '--out', join(root, 'ck'), '--saelens', `A=${join(root, 'A')}`, '--saelens', `B=${join(root, 'B')}`]);
    expect(res).toMatchObject({ layout: 'separate', mode: 'l1', latents: 8 });
    const ck = loadCheckpoint(join(root, 'ck'));
    // Joint codes: A's latents 0..4 read A alone, B's 5..7 read B alone.
    const xA = Float32Array.from(ref.A.x);
    const xB = Float32Array.from(ref.B.x);
    const z = encodeJoint(ck, [xA, xB], 8, { select: 'relu' });
    for (let r = 0; r < 8; r++) {
      expectClose(z.subarray(r * 8, r * 8 + 5), ref.A.z.slice(r * 5, r * 5 + 5), 1e-4);
      expectClose(z.subarray(r * 8 + 5, r * 8 + 8), ref.B.z.slice(r * 3, r * 3 + 3), 1e-4);
    }
    expectClose(decodeAgent(ck, 0, z, 8), ref.A.xhat, 1e-4);
    expectClose(decodeAgent(ck, 1, z, 8), ref.B.xhat, 1e-4);
    // Exported again, A's view holds its own SAE in its latents and zeros in B's.
    const view = exportSaelens(ck, 'A', join(root, 'again'));
    expect(view.cfg).toMatchObject({ d_in: 6, d_sae: 8 });
    const t0 = readSafetensors(join(root, 'A', 'sae_weights.safetensors')).tensors;
    const t1 = readSafetensors(join(root, 'again', 'sae_weights.safetensors')).tensors;
    const W1 = t1.W_enc!.data as Float32Array;
    const W0 = t0.W_enc!.data as Float32Array;
    for (let i = 0; i < 6; i++) {
      expectClose(W1.subarray(i * 8, i * 8 + 5), W0.subarray(i * 5, i * 5 + 5), 1e-6);
      expectClose(W1.subarray(i * 8 + 5, i * 8 + 8), [0, 0, 0], 0);
    }
    expectClose((t1.b_dec!.data as Float32Array), t0.b_dec!.data as Float32Array, 1e-6);
    expectClose((t1.b_enc!.data as Float32Array).subarray(0, 5), t0.b_enc!.data as Float32Array, 1e-5);
  });

  it.skipIf(noTorch !== null)('a dictionary_learning BatchTopKCrossCoder encodes (threshold) and decodes as dictionary_learning does; encode and split run on it', async () => {
    const root = tempDir();
    const file = join(root, 'crosscoder.safetensors');
    mkdirSync(join(root, 'trainer_0'));
    const ref = JSON.parse(runPython(CROSSCODER, [file, join(root, 'trainer_0', 'ae.pt')])) as { x: number[][]; f: number[]; relu: number[]; xhat: number[][] };
    const res = await cli(['import-sae', '--out', join(root, 'ck'), '--crosscoder', file, '--agents', 'A,B']);
    expect(res).toMatchObject({ layout: 'crosscoder', mode: 'batchtopk', latents: 12, threshold: expect.closeTo(0.4, 6) as unknown });
    const ck = loadCheckpoint(join(root, 'ck'));
    expect((ck.cfg as { k: number }).k).toBe(3);
    const xs = ref.x.map((v) => Float32Array.from(v));
    expectClose(encodeJoint(ck, xs, 16, { select: 'relu' }), ref.relu, 1e-4);
    const f = encodeJoint(ck, xs, 16, { select: 'threshold' });
    expectClose(f, ref.f, 1e-4);
    expect(f.filter((v) => v > 0).length).toBe(ref.f.filter((v) => v > 0).length);
    for (const a of [0, 1]) expectClose(decodeAgent(ck, a, Float32Array.from(ref.f), 16), ref.xhat[a]!, 1e-4);
    // Usable by the pipeline: encode a run of matching agents with it.
    const { dir } = makeTestRun(root, 'run5', { dims: [5, 5], episodes: 2, steps: 10 });
    const enc = await cli(['encode', join(root, 'ck'), dir]);
    expect(enc.rows).toBe(20);
    const split = await runCliCapture(['split', join(root, 'ck'), '--run', dir, '--write']);
    expect(split.code, split.stderr).toBe(0);
    expect(loadCheckpoint(join(root, 'ck')).cfg.latents).toBe(12);
    // The torch.save'd ae.pt (read without Python) gives the same checkpoint.
    const pt = await cli(['import-sae', '--out', join(root, 'ck-pt'), '--crosscoder', join(root, 'trainer_0'), '--agents', 'A,B']);
    expect(pt.notes).toEqual(['entries that are not tensors were ignored: _hub_mixin_config']);
    const fromPt = loadCheckpoint(join(root, 'ck-pt'));
    for (const [name, t] of Object.entries(ck.params)) expect(Array.from(fromPt.params[name]!.data), name).toEqual(Array.from(t.data));
    expect(fromPt.threshold).toBe(ck.threshold);
    const wrong = await runCliCapture(['import-sae', '--out', join(root, 'ck2'), '--crosscoder', file, '--agents', 'A,B,C']);
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toMatch(/the crosscoder has 2 layers \(agents\) but 3 agent ids were given/);
  });
});
