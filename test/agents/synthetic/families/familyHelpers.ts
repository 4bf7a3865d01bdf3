// Shared checks of a generator family, used by each family's test file.
import { expect } from 'vitest';
import { generateSynthetic, recordSynthetic, type SyntheticConfig } from '../../../../agents/index.js';
import { openRun, readTruthJson, readTruthTable } from '../../../../data/index.js';
import { join } from 'node:path';
import { tempDir } from '../../../helpers/tmp.js';

export function bytesOf(a: ArrayBufferView): Buffer {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

/** Same seed → same bytes; another seed → other bytes; chunking does not matter. */
export function expectDeterministic(cfg: SyntheticConfig): void {
  const a = generateSynthetic(cfg);
  const b = generateSynthetic(cfg);
  const c = generateSynthetic({ ...cfg, seed: (cfg.seed ?? 0) + 1 });
  a.agents.forEach((x, i) => {
    expect(bytesOf(x.hidden).equals(bytesOf(b.agents[i]!.hidden))).toBe(true);
    expect(bytesOf(x.action).equals(bytesOf(b.agents[i]!.action))).toBe(true);
    expect(bytesOf(x.hidden).equals(bytesOf(c.agents[i]!.hidden))).toBe(false);
  });
  expect(a.conflicts).toEqual(b.conflicts);
  // Chunked in 7 rows: the same bytes (maps with memory carry their state across chunks).
  const d = a.agents[0]!.hiddenSize;
  const chunked = new Float32Array(a.rows * d);
  let at = 0;
  for (const ch of a.generator.chunks(7)) {
    chunked.set(ch.agents[0]!.hidden, at * d);
    at += ch.rows;
  }
  expect(bytesOf(chunked).equals(bytesOf(a.agents[0]!.hidden))).toBe(true);
}

/** N = 3 agents with a group shared by all, one by a pair and a private one each. */
export const threeAgents = (family: string): SyntheticConfig => ({
  family,
  agents: ['A', 'B', 'C'],
  groups: [
    { name: 'all', agents: ['A', 'B', 'C'], size: 3 },
    { name: 'AB', agents: ['A', 'B'], size: 2 },
    { name: 'pA', agents: ['A'], size: 2 },
    { name: 'pB', agents: ['B'], size: 2 },
    { name: 'pC', agents: ['C'], size: 2 },
  ],
  episodes: 4,
  steps: 50,
  seed: 4,
  conflicts: { fraction: 0.5, lag: 4, thoughts: 2 },
});

/** Records the config and checks the run and truth files have the shapes eval-truth and detect read. */
export async function expectTruthShapes(cfg: SyntheticConfig): Promise<void> {
  const dir = join(tempDir(), 'run');
  const res = await recordSynthetic(dir, cfg);
  const run = openRun(dir);
  expect(run.manifest.status).toBe('complete');
  expect(res.manifest.truth).toEqual(['truth/structure.json', 'truth/conflicts.json', 'truth/latents.arrows']);
  const st = readTruthJson<{ thoughtCount: number; family: { name: string }; thoughts: { id: number; agents: string[]; kind: string }[]; agents: { id: string; thoughts: number[]; hiddenSize: number }[] }>(dir, 'structure.json');
  expect(st.family.name).toBe(typeof cfg.family === 'string' ? cfg.family : (cfg.family?.name ?? 'mixing'));
  const K = st.thoughtCount;
  expect(st.thoughts.map((t) => t.id)).toEqual(Array.from({ length: K }, (_, i) => i));
  for (const t of st.thoughts) expect(t.kind).toBe(t.agents.length > 1 ? 'shared' : 'private');
  const lat = readTruthTable(dir, 'latents.arrows');
  const steps = res.steps;
  expect(lat.numRows).toBe(steps);
  expect(lat.schema.fields.map((f) => f.name)).toEqual(['episode', 'step', 'thoughts', ...run.agentIds.map((a) => `thoughts_${a}`)]);
  for (const a of run.manifest.agents) {
    expect(res.manifest.counts[a.id]!.rows).toBe(steps);
    const held = new Set(st.agents.find((x) => x.id === a.id)!.thoughts);
    const col = lat.getChild(`thoughts_${a.id}`)!;
    for (let r = 0; r < steps; r += 13) {
      const v = col.get(r)!.toArray() as Float32Array;
      expect(v.length).toBe(K);
      v.forEach((x, j) => {
        if (!held.has(j)) expect(x).toBe(0);
      });
    }
  }
  const cf = readTruthJson<{ conflicts: { episode: number; agent: string; onsetStep: number; divergenceStep: number; thoughts: number[] }[] }>(dir, 'conflicts.json');
  for (const c of cf.conflicts) {
    expect(run.agentIds).toContain(c.agent);
    expect(c.divergenceStep).toBeGreaterThan(c.onsetStep - 1);
    for (const j of c.thoughts) expect(st.thoughts[j]!.agents).toContain(c.agent);
  }
}

/** Pearson correlation of columns i and j of a rows × K matrix. */
export function correlation(x: Float32Array, rows: number, K: number, i: number, j: number): number {
  let si = 0, sj = 0;
  for (let r = 0; r < rows; r++) {
    si += x[r * K + i]!;
    sj += x[r * K + j]!;
  }
  const mi = si / rows;
  const mj = sj / rows;
  let c = 0, vi = 0, vj = 0;
  for (let r = 0; r < rows; r++) {
    const a = x[r * K + i]! - mi;
    const b = x[r * K + j]! - mj;
    c += a * b;
    vi += a * a;
    vj += b * b;
  }
  return c / Math.sqrt(vi * vj);
}
