// Every mode trains (loss falls), and the partitioned mode keeps private blocks private.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { trainDictionary, type SaeConfig } from '../../../sae/index.js';
import { tempDir } from '../../helpers/tmp.js';
import { writePairedRun } from '../pairedData.js';

const base = { latents: 16, steps: 120, batchSize: 128, lr: 3e-3, seed: 4, deadAfter: 1000, normRows: 512, shuffleBuffer: 1024, split: { sampleRows: 1024 } };

describe('modes', () => {
  const cases: [string, Partial<SaeConfig>][] = [
    ['l1 (group)', { mode: 'l1', l1Coef: 1e-3 }],
    ['l1 (joint)', { mode: 'l1', l1Coef: 1e-3, penalty: 'joint' }],
    ['jacobian (group)', { mode: 'jacobian', k: 2, hidden: 8, jacCoef: 1e-3, jacSamples: 4 }],
    ['partitioned', { mode: 'partitioned', k: 2, blocks: { shared: 8, private: { A: 4, B: 4 } } }],
  ];
  for (const [name, extra] of cases) {
    it(`${name} trains`, async () => {
      const root = tempDir();
      const data = writePairedRun(join(root, 'run'), { rows: 2048, seed: 5 });
      const losses: number[] = [];
      const res = await trainDictionary({ runs: [data.dir], out: join(root, 'ck'), config: { ...base, ...extra }, onProgress: (p) => losses.push(p.loss) });
      expect(losses.every(Number.isFinite)).toBe(true);
      const head = losses.slice(0, 10).reduce((s, x) => s + x, 0);
      const tail = losses.slice(-10).reduce((s, x) => s + x, 0);
      expect(tail).toBeLessThan(head);
      if (extra.mode === 'partitioned') {
        const D = res.model.params['dec.B.W']!.data;
        for (let j = 8; j < 12; j++) for (let i = 0; i < 12; i++) expect(Math.abs(D[j * 12 + i]!)).toBe(0);
        // Decoder relevance of the other agent is exactly 0 on private blocks, so the other
        // agent cannot use them (a zero block explains nothing).
        const split = res.analysis!.split;
        for (let j = 8; j < 12; j++) expect(split.relevance[1]![j]).toBe(0);
        for (let j = 12; j < 16; j++) expect(split.relevance[0]![j]).toBe(0);
        for (let j = 8; j < 12; j++) expect(['private-A', 'rare', 'dead']).toContain(split.classes[j]);
      }
    });
  }
});
