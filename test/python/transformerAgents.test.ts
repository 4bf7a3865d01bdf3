// examples/transformer-agents: two GPT-2s built from a config train deterministically on
// teacher transcripts of the prisoner's dilemma, play each other and the pool with their
// residual streams recorded, and thoughtlens reads the run back; without torch the script
// stops with exit 2 and a message, recording nothing.
import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { openRun } from '../../data/index.js';
import { pythonMissing } from '../helpers/python.js';
import { lastJson, REPO_ROOT, runPackagePython } from '../helpers/pythonPackage.js';
import { tempDir } from '../helpers/tmp.js';

const noTorch = pythonMissing('torch', 'transformers', 'tokenizers');
const noArrow = pythonMissing('numpy', 'pyarrow');
const SLOW = 300_000; // importing torch several times on a loaded machine
const SCRIPT = join(REPO_ROOT, 'examples', 'transformer-agents', 'transformer_agents.py');
const POOL_STYLES = 16; // agents/pool/defaultPool.json

interface TrainInfo {
  weights_sha256: string;
  first_loss: number;
  final_loss: number;
  teacher: Record<string, number>;
}

function trainTiny(out: string, seed: number): TrainInfo {
  const args = ['train', '--out', out, '--seed', String(seed), '--layers', '2', '--d-model', '16', '--heads', '2'];
  return lastJson<TrainInfo>(runPackagePython([SCRIPT, ...args, '--window', '2', '--rounds', '8', '--episodes', '12', '--steps', '4', '--batch', '4', '--log-every', '0']));
}

describe('examples/transformer-agents', () => {
  it.skipIf(noTorch !== null)(
    'trains deterministically, plays A vs B and the pool, and records states thoughtlens reads back as the model\'s own',
    () => {
      const dir = tempDir();
      const a = trainTiny(join(dir, 'a'), 1);
      const again = trainTiny(join(dir, 'a-again'), 1);
      const b = trainTiny(join(dir, 'b'), 2);
      const same = (x: TrainInfo) => [x.weights_sha256, x.first_loss, x.final_loss, x.teacher];
      expect(same(again)).toEqual(same(a));
      expect(b.weights_sha256).not.toBe(a.weights_sha256);
      expect(a.final_loss).toBeLessThan(a.first_loss);

      const run = join(dir, 'runs', 'lm-ipd');
      const summary = join(dir, 'summary.json');
      const play = ['play', '--agents', join(dir, 'a'), join(dir, 'b'), '--out', run, '--layer', '0', '--rounds', '6', '--blocks', '1', '--self-play', '2', '--summary', summary];
      const res = lastJson<{ rows: Record<string, number>; status: string; episodes: number; payoff_per_round: Record<string, { A: number; tit_for_tat: number }> }>(
        runPackagePython([SCRIPT, ...play]),
      );
      const episodes = 2 + POOL_STYLES;
      expect(res).toMatchObject({ rows: { A: episodes * 6, B: episodes * 6 }, status: 'complete', episodes });
      expect(Object.keys(res.payoff_per_round)).toHaveLength(1 + POOL_STYLES);
      expect(existsSync(summary)).toBe(true);

      const r = openRun(run);
      expect(r.manifest.status).toBe('complete');
      expect(r.manifest.agents.map((x) => [x.id, x.hiddenSize, x.layer])).toEqual([['A', 16, 'transformer.h.0'], ['B', 16, 'transformer.h.0']]);
      expect(r.manifest.agents[0]!.columns.filter((c) => c.role === 'event').map((c) => c.name)).toEqual(['defect_after_coop', 'exploited']);
      const payoff = [1, -1, 2, 0]; // 2·own + other, 0 = C
      let rows = 0;
      let firstA: number[] | null = null;
      for (const batch of r.joined()) {
        const [ca, cb] = [batch.columns[0]!, batch.columns[1]!];
        for (let i = 0; i < batch.length; i++) {
          if (rows === 0) firstA = Array.from(batch.hidden[0]!.subarray(0, 16));
          const [act, co, rew] = [Number(ca.action![i]), Number(ca.co_player_action![i]), Number(ca.reward![i])];
          expect(rew).toBe(payoff[2 * act + co]);
          if (ca.co_player![i] === 'B') {
            // A and B playing each other see each other's moves.
            expect([Number(cb.action![i]), Number(cb.co_player_action![i]), cb.co_player![i]]).toEqual([co, act, 'A']);
          }
          rows++;
        }
      }
      expect(rows).toBe(episodes * 6);
      // Episode 0 is A vs B; A's first state is block 0's output at the last token of "Round 1. You:".
      const ref = lastJson<number[]>(
        runPackagePython([
          '-c',
          `import json, sys, torch\nfrom transformers import AutoModelForCausalLM, AutoTokenizer\nm = AutoModelForCausalLM.from_pretrained(sys.argv[1]).eval(); t = AutoTokenizer.from_pretrained(sys.argv[1])\nwith torch.no_grad(): h = m(**t("Round 1. You:", return_tensors="pt"), output_hidden_states=True).hidden_states[1][0, -1]\nprint(json.dumps(h.tolist()))`,
          join(dir, 'a'),
        ]),
      );
      expect(firstA!.map((x, i) => Math.abs(x - Math.fround(ref[i]!)))).toSatisfy((d: number[]) => Math.max(...d) < 1e-5);
    },
    SLOW,
  );

  it.skipIf(noArrow !== null)('without torch: exit 2, a message naming torch, no model and no run', () => {
    const dir = tempDir();
    const t = runPackagePython([SCRIPT, 'train', '--out', join(dir, 'a'), '--steps', '1'], { blockTorch: true });
    expect(t.status).toBe(2);
    expect(t.stderr).toMatch(/transformer_agents\.py: error: TL_MISSING_DEPENDENCY: transformer_agents\.py train needs the Python package 'torch'/);
    expect(t.stdout).toBe('');
    expect(existsSync(join(dir, 'a'))).toBe(false);
    const p = runPackagePython([SCRIPT, 'play', '--agents', join(dir, 'a'), join(dir, 'b'), '--out', join(dir, 'run')], { blockTorch: true });
    expect(p.status).toBe(2);
    expect(p.stderr).toMatch(/needs the Python package 'torch'/);
    expect(existsSync(join(dir, 'run'))).toBe(false);
  });
});
