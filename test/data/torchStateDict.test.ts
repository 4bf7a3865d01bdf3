// readTorchStateDict: torch.save'd state dicts read without Python — dtypes, strided
// (transposed) tensors, scalars, non-tensor entries; anything else is refused by name.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { readTorchStateDict } from '../../data/index.js';
import { pythonMissing, runPython } from '../helpers/python.js';
import { tempDir } from '../helpers/tmp.js';

const noTorch = pythonMissing('torch'); // under THOUGHTLENS_CI=1 a missing torch fails

describe('readTorchStateDict', () => {
  it.skipIf(noTorch !== null)('reads every tensor of a torch.save state dict with its values and shape', () => {
    const file = join(tempDir(), 'sd.pt');
    const want = JSON.parse(
      runPython(
        `
import collections, json, sys, torch
torch.manual_seed(0)
sd = collections.OrderedDict()
sd["w"] = torch.randn(2, 3, 4)
sd["t"] = torch.randn(3, 5).t()                       # strided: a transposed view
sd["view"] = torch.randn(10)[2:7]                      # storage offset
sd["f64"] = torch.randn(3, dtype=torch.float64)
sd["f16"] = torch.tensor([0.5, -2.25, 1e-5, 65504.0], dtype=torch.float16)
sd["bf16"] = torch.tensor([1.5, -3.0, 0.1], dtype=torch.bfloat16)
sd["k"] = torch.tensor(3, dtype=torch.int32)
sd["i64"] = torch.tensor([-7, 2**31 - 1])
sd["flag"] = torch.tensor([True, False])
sd["_hub_mixin_config"] = {"k": 3}
torch.save(sd, sys.argv[1])
print(json.dumps({k: {"shape": list(v.shape), "values": v.flatten().double().tolist()} for k, v in sd.items() if torch.is_tensor(v)}))
`,
        [file],
      ),
    ) as Record<string, { shape: number[]; values: number[] }>;
    const { tensors, other } = readTorchStateDict(file);
    expect(other).toEqual(['_hub_mixin_config']);
    expect(Object.keys(tensors)).toEqual(Object.keys(want));
    for (const [k, w] of Object.entries(want)) {
      expect(tensors[k]!.shape, k).toEqual(w.shape);
      expect(Array.from(tensors[k]!.data as ArrayLike<number>), k).toEqual(w.values.map((v) => (k === 'flag' ? Number(v) : v)));
    }
    expect(tensors.k!.data).toBeInstanceOf(Int32Array);
    expect(tensors.f64!.data).toBeInstanceOf(Float64Array);
  });

  it.skipIf(noTorch !== null)('refuses a pickle that is not a plain state dict, naming the global, and executes nothing', () => {
    const file = join(tempDir(), 'module.pt');
    runPython(`import sys, torch\ntorch.save(torch.nn.Linear(2, 3), sys.argv[1])`, [file]);
    expect(() => readTorchStateDict(file)).toThrow(/unsupported global 'torch.nn.modules.linear Linear'/);
  });
});
