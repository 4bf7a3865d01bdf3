import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openRun, readTruthJson, readTruthTable } from '../../../data/index.js';
import {
  generateSynthetic,
  recordSynthetic,
  type ConflictsTruth,
  type StructureTruth,
  type SyntheticConfig,
} from '../../../agents/index.js';
import { tempDir } from '../../helpers/tmp.js';

const cfg: SyntheticConfig = { episodes: 10, steps: 70, hiddenSize: 20, seed: 21, conflicts: { fraction: 0.4, lag: 6 } };

function bytesOf(a: ArrayBufferView): Buffer {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

/** Reads every agent's hidden states and behaviour columns of a run into arrays. */
function readRun(dir: string) {
  const run = openRun(dir);
  const ids = run.agentIds;
  const hidden = ids.map(() => [] as Float32Array[]);
  const cols = ids.map(() => ({ action: [] as number[], reward: [] as number[], diverged: [] as boolean[] }));
  const episode: number[] = [];
  const step: number[] = [];
  for (const b of run.joined()) {
    episode.push(...b.episode);
    step.push(...b.step);
    ids.forEach((_, a) => {
      hidden[a]!.push(b.hidden[a]!.slice());
      for (let i = 0; i < b.length; i++) {
        cols[a]!.action.push(Number(b.columns[a]!.action![i]));
        cols[a]!.reward.push(Number(b.columns[a]!.reward![i]));
        cols[a]!.diverged.push(Boolean(b.columns[a]!.diverged![i]));
      }
    });
  }
  const cat = (parts: Float32Array[]) => {
    const out = new Float32Array(parts.reduce((s, p) => s + p.length, 0));
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  };
  return { run, ids, episode, step, hidden: hidden.map(cat), cols };
}

describe('recordSynthetic', () => {
  it('writes a complete run whose streams equal the in-memory generation, batch by batch', async () => {
    const dir = join(tempDir(), 'syn');
    const progress: number[] = [];
    const res = await recordSynthetic(dir, cfg, { chunkRows: 32, batchRows: 50, onProgress: (done, total) => progress.push(done / total) });
    expect(res.manifest.status).toBe('complete');
    expect(res.steps).toBe(700);
    expect(progress.length).toBeGreaterThan(10);
    expect(progress.at(-1)).toBe(1);
    expect(res.manifest.counts.A!.batches).toBe(14); // streamed in record batches of 50 rows
    const mem = generateSynthetic(cfg);
    const r = readRun(dir);
    expect(r.ids).toEqual(['A', 'B']);
    expect(r.episode).toEqual(Array.from(mem.episode));
    expect(r.step).toEqual(Array.from(mem.step));
    for (let a = 0; a < 2; a++) {
      expect(bytesOf(r.hidden[a]!).equals(bytesOf(mem.agents[a]!.hidden))).toBe(true);
      expect(r.cols[a]!.action).toEqual(Array.from(mem.agents[a]!.action));
      expect(r.cols[a]!.reward).toEqual(Array.from(mem.agents[a]!.reward));
      expect(r.cols[a]!.diverged).toEqual(Array.from(mem.agents[a]!.diverged, Boolean));
    }
    const m = r.run.manifest;
    expect(m.source.kind).toBe('synthetic');
    expect(m.agents[0]!.columns.find((c) => c.name === 'diverged')).toMatchObject({ type: 'bool', role: 'event' });
    expect(m.agents[0]!.columns.find((c) => c.name === 'action')).toMatchObject({ type: 'int32', role: 'action' });
  });

  it('records bit-identical streams for the same config and seed', async () => {
    const root = tempDir();
    await recordSynthetic(join(root, 'one'), cfg);
    await recordSynthetic(join(root, 'two'), cfg);
    await recordSynthetic(join(root, 'three'), { ...cfg, seed: 22 });
    for (const f of ['agents/A.arrows', 'agents/B.arrows', 'truth/latents.arrows', 'truth/conflicts.json']) {
      expect(readFileSync(join(root, 'one', f)).equals(readFileSync(join(root, 'two', f))), f).toBe(true);
    }
    expect(readFileSync(join(root, 'one', 'agents/A.arrows')).equals(readFileSync(join(root, 'three', 'agents/A.arrows')))).toBe(false);
  });

  it('writes ground truth that agrees with the streams', async () => {
    const dir = join(tempDir(), 'syn');
    const res = await recordSynthetic(dir, cfg);
    expect(res.manifest.truth).toEqual(['truth/structure.json', 'truth/conflicts.json', 'truth/latents.arrows']);
    const run = openRun(dir);
    for (const f of res.manifest.truth!) expect(run.hasTruth(f)).toBe(true);

    const structure = readTruthJson<StructureTruth>(dir, 'structure.json');
    expect(structure.thoughtCount).toBe(16);
    expect(structure.groups.map((g) => [g.name, g.agents, g.thoughts])).toEqual([
      ['shared', ['A', 'B'], [0, 1, 2, 3, 4, 5, 6, 7]],
      ['private-A', ['A'], [8, 9, 10, 11]],
      ['private-B', ['B'], [12, 13, 14, 15]],
    ]);
    expect(structure.thoughts[9]).toEqual({ id: 9, group: 'private-A', agents: ['A'], kind: 'private' });
    expect(structure.agents[1]!.thoughts).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 12, 13, 14, 15]);
    expect(structure.agents[0]!.mixing.layers.length).toBe(2);
    expect(structure.config.seed).toBe(21);
    expect(structure.behaviour.lag).toBe(6);

    const conflicts = readTruthJson<ConflictsTruth>(dir, 'conflicts.json');
    expect(conflicts.conflicts.length).toBe(4);
    const r = readRun(dir);
    // Every diverged event is a planted conflict's divergence step, on its drifter and counterparties.
    const events = new Set<string>();
    r.ids.forEach((id, a) =>
      r.cols[a]!.diverged.forEach((v, i) => {
        if (v) events.add(`${r.episode[i]}:${r.step[i]}:${id}`);
      }),
    );
    const planted = new Set(
      conflicts.conflicts.flatMap((c) => [c.agent, ...c.counterparties].map((id) => `${c.episode}:${c.onsetStep + 6}:${id}`)),
    );
    expect(events).toEqual(planted);
    for (const c of conflicts.conflicts) expect(c.divergenceStep - c.onsetStep).toBe(c.lag);

    // Latents: per-step rows in stream order; each agent's copy matches in-memory truth; the
    // drifter's copy departs from the other's exactly from onset on.
    const latents = readTruthTable(dir, 'latents.arrows');
    expect(latents.numRows).toBe(700);
    expect(latents.schema.fields.map((f) => f.name)).toEqual(['episode', 'step', 'thoughts', 'thoughts_A', 'thoughts_B']);
    expect(Array.from(latents.getChild('step')!.toArray() as Int32Array)).toEqual(r.step);
    const mem = generateSynthetic(cfg);
    const flat = (name: string) => {
      const col = latents.getChild(name)!;
      return Float32Array.from(col.data.flatMap((d) => Array.from(d.children[0]!.values as Float32Array)));
    };
    expect(bytesOf(flat('thoughts_A')).equals(bytesOf(mem.agents[0]!.thoughts))).toBe(true);
    expect(bytesOf(flat('thoughts_B')).equals(bytesOf(mem.agents[1]!.thoughts))).toBe(true);
    expect(bytesOf(flat('thoughts')).equals(bytesOf(mem.thoughts))).toBe(true);
    const A = flat('thoughts_A');
    const B = flat('thoughts_B');
    for (const c of conflicts.conflicts) {
      for (let t = 0; t < 70; t++) {
        const row = c.episode * 70 + t;
        const differs = c.thoughts.some((j) => A[row * 16 + j] !== B[row * 16 + j]);
        expect(differs, `episode ${c.episode} step ${t}`).toBe(t >= c.onsetStep);
      }
    }
  });

  it('keeps what was recorded and marks the run aborted when stopped', async () => {
    const dir = join(tempDir(), 'syn');
    const stop = new AbortController();
    const p = recordSynthetic(dir, { ...cfg, episodes: 200 }, {
      chunkRows: 16,
      yieldEveryMs: 0,
      signal: stop.signal,
      onProgress: (done) => {
        if (done >= 300) stop.abort();
      },
    });
    await expect(p).rejects.toMatchObject({ code: 'TL_INTERRUPTED' });
    const run = openRun(dir);
    expect(run.manifest.status).toBe('aborted');
    const rows = run.scan()[0]!.rows;
    expect(rows).toBeGreaterThanOrEqual(300);
    expect(rows).toBeLessThan(14000);
  });

  it('refuses to write over an existing run', async () => {
    const dir = join(tempDir(), 'syn');
    await recordSynthetic(dir, { ...cfg, episodes: 1 });
    await expect(recordSynthetic(dir, cfg)).rejects.toMatchObject({ code: 'TL_USAGE' });
  });
});
