// thoughtlens.hooks on a GPT-2 built locally from a config (no download): the hooked states
// equal output_hidden_states; `python -m thoughtlens record` records a saved model end to
// end; and without torch (or with a model that is not there) everything stops with exit 2
// and a message, recording nothing.
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openRun } from '../../data/index.js';
import { pythonMissing } from '../helpers/python.js';
import { lastJson, REPO_ROOT, runPackagePython } from '../helpers/pythonPackage.js';
import { tempDir } from '../helpers/tmp.js';

// Skips only where torch/transformers are not importable; under THOUGHTLENS_CI=1 that fails instead.
const noTorch = pythonMissing('torch', 'transformers', 'tokenizers');
const noArrow = pythonMissing('numpy', 'pyarrow');
const SLOW = 240_000; // importing torch takes a while on a loaded machine

// A 3-block GPT-2 and a character-level tokenizer, from configs only.
const TINY = `
import torch
from transformers import GPT2Config, GPT2LMHeadModel, PreTrainedTokenizerFast
from tokenizers import Tokenizer, models, pre_tokenizers
def tiny(n_layer=3, seed=0):
    torch.manual_seed(seed)
    return GPT2LMHeadModel(GPT2Config(n_layer=n_layer, n_embd=24, n_head=4, vocab_size=40, n_positions=128,
                                      bos_token_id=0, eos_token_id=0, pad_token_id=0)).eval()
def tokenizer():
    chars = list(" ABCDabcdemnortuy.:?!,0123456789")
    vocab = {c: i for i, c in enumerate(chars)}
    vocab["[UNK]"] = len(vocab)
    t = Tokenizer(models.WordLevel(vocab=vocab, unk_token="[UNK]"))
    t.pre_tokenizer = pre_tokenizers.Split("", "isolated")
    return PreTrainedTokenizerFast(tokenizer_object=t, unk_token="[UNK]")
`;

describe('thoughtlens.hooks', () => {
  it.skipIf(noTorch !== null)(
    'captures the same tensors as output_hidden_states on a locally built GPT-2 (layer indices, module names, last token or all)',
    () => {
      const out = lastJson<Record<string, boolean | number[]>>(
        runPackagePython([
          '-c',
          TINY +
            `
import json, torch, numpy as np
from thoughtlens.hooks import HiddenStates
m = tiny()
ids = torch.randint(0, 40, (3, 9), generator=torch.Generator().manual_seed(1))
res = {}
with torch.no_grad():
    ref = m(ids, output_hidden_states=True).hidden_states          # embeddings, block 0, 1, ln_f(block 2)
    before = [len(b._forward_hooks) for b in m.transformer.h]      # transformers adds hooks of its own
    with HiddenStates(m, layers=[0, 1, -1], modules=["transformer.h.1.mlp"], tokens="all") as hs:
        m(ids)
        res["names"] = hs.names
        res["all0"] = torch.equal(hs.tensor("transformer.h.0"), ref[1])
        res["all1"] = torch.equal(hs.tensor("transformer.h.1"), ref[2])
        res["last_block_through_ln_f"] = torch.equal(m.transformer.ln_f(hs.tensor("transformer.h.2")), ref[3])
        res["mlp_shape"] = list(hs.tensor("transformer.h.1.mlp").shape)
        res["numpy_all"] = bool(np.array_equal(hs.last("transformer.h.1", batch_index=2), ref[2][2].numpy()))
    with HiddenStates(m, layers=[1], tokens="last") as hs:
        m(ids)
        res["last_batch"] = torch.equal(hs.tensor(), ref[2][:, -1])
        res["last_numpy"] = bool(np.array_equal(hs.last(), ref[2][0, -1].numpy()))
        res["dtype"] = str(hs.last().dtype)
    with HiddenStates(m, modules=["transformer.h.0"]) as hs:
        m(ids[:1, :4])
        res["module_name"] = torch.equal(hs.tensor(), m(ids[:1, :4], output_hidden_states=True).hidden_states[1][:, -1])
    res["removed"] = [len(b._forward_hooks) for b in m.transformer.h] == before
    seq = torch.nn.Sequential(torch.nn.Linear(4, 6), torch.nn.Tanh(), torch.nn.Linear(6, 2))   # any nn.Module
    x = torch.randn(5, 4)
    with HiddenStates(seq, modules=["1"], tokens="all") as hs:
        seq(x)
        res["any_module"] = torch.equal(hs.tensor(), torch.tanh(seq[0](x)))
print(json.dumps(res))
`,
        ]),
      );
      expect(out).toEqual({
        names: ['transformer.h.0', 'transformer.h.1', 'transformer.h.2', 'transformer.h.1.mlp'],
        all0: true,
        all1: true,
        last_block_through_ln_f: true,
        mlp_shape: [3, 9, 24],
        numpy_all: true,
        last_batch: true,
        last_numpy: true,
        dtype: 'float32',
        module_name: true,
        removed: true,
        any_module: true,
      });
    },
    SLOW,
  );

  it.skipIf(noTorch !== null)(
    'python -m thoughtlens record records two agents of a saved model; the states are the model\'s own',
    () => {
      const dir = tempDir();
      const model = join(dir, 'tiny-gpt2');
      saveTiny(model);
      const run = join(dir, 'runs', 'lm-pair');
      const rec = runPackagePython(['-m', 'thoughtlens', 'record', '--model', model, '--out', run, '--layer', '1', '--turns', '12', '--episode-len', '6', '--prompt', 'A: C. B:']);
      expect(lastJson<{ rows: Record<string, number>; status: string }>(rec)).toMatchObject({ rows: { A: 12, B: 12 }, status: 'complete' });
      const r = openRun(run);
      expect(r.manifest.agents.map((a) => [a.id, a.hiddenSize, a.model, a.layer])).toEqual([
        ['A', 24, model, 'block 1'],
        ['B', 24, model, 'block 1'],
      ]);
      const first = r.openAgent('A').batches().next().value!;
      expect([first.episode[0], first.step[0]]).toEqual([0, 0]); // batch sizes depend on timed flushes
      // Agent A's first state is block 1's output at the prompt's last token.
      const ref = lastJson<number[]>(
        runPackagePython([
          '-c',
          `import json, sys, torch\nfrom transformers import AutoModelForCausalLM, AutoTokenizer\nm = AutoModelForCausalLM.from_pretrained(sys.argv[1]).eval(); t = AutoTokenizer.from_pretrained(sys.argv[1])\nwith torch.no_grad(): h = m(**t("A: C. B:", return_tensors="pt"), output_hidden_states=True).hidden_states[2][0, -1]\nprint(json.dumps(h.tolist()))`,
          model,
        ]),
      );
      expect(Array.from(first.hidden.subarray(0, 24))).toEqual(ref.map(Math.fround));
    },
    SLOW,
  );

  it.skipIf(noTorch !== null)(
    'a model that cannot be loaded: exit 2, a message naming it, no run',
    () => {
      const dir = tempDir();
      const r = runPackagePython(['-m', 'thoughtlens', 'record', '--model', join(dir, 'no-such-model'), '--out', join(dir, 'run')]);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/thoughtlens: error: TL_MISSING_DEPENDENCY: the model '.*no-such-model' cannot be loaded/);
      expect(existsSync(join(dir, 'run'))).toBe(false);
    },
    SLOW,
  );

  it.skipIf(noTorch !== null)(
    'the ten-line example of docs/RECORDING.md runs as written and records two agents',
    () => {
      const dir = tempDir();
      const model = join(dir, 'tiny-gpt2');
      saveTiny(model);
      const doc = readFileSync(join(REPO_ROOT, 'docs', 'RECORDING.md'), 'utf8');
      const block = /Recording your own Hugging Face model[^]*?```python\n([^]*?)```/.exec(doc)![1]!;
      expect(block.trimEnd().split('\n').length).toBeLessThanOrEqual(10);
      const script = block.replaceAll('"distilgpt2"', JSON.stringify(model)).replace('thoughtlens-workspace/runs/my-lm', join(dir, 'my-lm'));
      const r = runPackagePython(['-c', script]);
      expect(r.status, r.stderr).toBe(0);
      const run = openRun(join(dir, 'my-lm'));
      expect(run.manifest.status).toBe('complete');
      expect(run.scan().map((s) => s.rows)).toEqual([20, 20]);
      let rows = 0;
      for (const b of run.joined()) rows += b.length;
      expect(rows).toBe(20);
    },
    SLOW,
  );
});

function saveTiny(dir: string): void {
  const save = runPackagePython(['-c', TINY + `\nimport sys\ntiny(n_layer=4).save_pretrained(sys.argv[1]); tokenizer().save_pretrained(sys.argv[1])`, dir]);
  expect(save.status, save.stderr).toBe(0);
}

describe('without torch', () => {
  it.skipIf(noArrow !== null)('python -m thoughtlens record stops with exit 2 and says to install torch; nothing is recorded', () => {
    const dir = tempDir();
    const r = runPackagePython(['-m', 'thoughtlens', 'record', '--model', 'distilgpt2', '--out', join(dir, 'run')], { blockTorch: true });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/thoughtlens: error: TL_MISSING_DEPENDENCY: .* needs the Python package 'torch', which cannot be imported/);
    expect(r.stderr).toMatch(/pip install torch/);
    expect(r.stdout).toBe('');
    expect(existsSync(join(dir, 'run'))).toBe(false);
  });

  it.skipIf(noArrow !== null)('the Recorder works and the hooks raise MissingDependencyError', () => {
    const out = lastJson<{ recorder: string; hooks: string; isImportError: boolean }>(
      runPackagePython(
        [
          '-c',
          `
import json, sys, tempfile, numpy as np
import thoughtlens
from thoughtlens import Recorder, MissingDependencyError
with Recorder(tempfile.mkdtemp() + "/r", agents={"A": 2}) as rec:
    rec.append("A", 0, 0, np.zeros(2))
from thoughtlens.hooks import HiddenStates
try:
    HiddenStates(object(), layers=[0]); hooks = "no error"
except MissingDependencyError as e:
    hooks = str(e); is_import = isinstance(e, ImportError)
print(json.dumps({"recorder": rec.status, "hooks": hooks, "isImportError": is_import, "torch": "torch" in sys.modules}))
`,
        ],
        { blockTorch: true },
      ),
    );
    expect(out.recorder).toBe('complete');
    expect(out.hooks).toMatch(/^TL_MISSING_DEPENDENCY: thoughtlens.hooks needs the Python package 'torch'/);
    expect(out.isImportError).toBe(true);
  });

  it.skipIf(noArrow !== null)('examples/python-recorder/record_hf.py stops with exit 2 instead of streaming random states', () => {
    const r = runPackagePython([join(REPO_ROOT, 'examples', 'python-recorder', 'record_hf.py'), '--model', 'distilgpt2', '--url', 'http://127.0.0.1:9'], {
      blockTorch: true,
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/record_hf\.py: error: recording --model distilgpt2 needs torch and transformers, which cannot be imported/);
    expect(r.stdout).not.toMatch(/random/);
  });
});
