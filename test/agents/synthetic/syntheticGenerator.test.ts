import { describe, expect, it } from 'vitest';
import { generateSynthetic, SyntheticGenerator, type SyntheticConfig } from '../../../agents/index.js';

const small: SyntheticConfig = { episodes: 6, steps: 60, hiddenSize: 32, seed: 11, conflicts: { lag: 5 } };

function bytesOf(a: ArrayBufferView): Buffer {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

describe('SyntheticGenerator', () => {
  it('gives bit-identical hidden states for the same config and seed, different ones for another seed', () => {
    const a = generateSynthetic(small);
    const b = generateSynthetic(small);
    const c = generateSynthetic({ ...small, seed: 12 });
    for (let i = 0; i < 2; i++) {
      expect(bytesOf(a.agents[i]!.hidden).equals(bytesOf(b.agents[i]!.hidden))).toBe(true);
      expect(bytesOf(a.agents[i]!.action).equals(bytesOf(b.agents[i]!.action))).toBe(true);
      expect(bytesOf(a.agents[i]!.hidden).equals(bytesOf(c.agents[i]!.hidden))).toBe(false);
    }
    expect(a.conflicts).toEqual(b.conflicts);
  });

  it('does not depend on how steps are chunked', () => {
    const whole = generateSynthetic(small);
    const gen = new SyntheticGenerator(small);
    const hidden = new Float32Array(whole.agents[1]!.hidden.length);
    let at = 0;
    for (const chunk of gen.chunks(7)) {
      expect(chunk.rows).toBeLessThanOrEqual(7);
      hidden.set(chunk.agents[1]!.hidden, at * 32);
      at += chunk.rows;
    }
    expect(at).toBe(6 * 60);
    expect(bytesOf(hidden).equals(bytesOf(whole.agents[1]!.hidden))).toBe(true);
  });

  it('keys steps by episode and step in order', () => {
    const d = generateSynthetic(small);
    expect(Array.from(d.episode.subarray(58, 62))).toEqual([0, 0, 1, 1]);
    expect(Array.from(d.step.subarray(58, 62))).toEqual([58, 59, 0, 1]);
  });

  it('makes thoughts as sparse as configured, with persistent runs', () => {
    const cfg: SyntheticConfig = { episodes: 40, steps: 250, hiddenSize: 48, seed: 3, thoughts: { sparsity: 0.15, persistence: 6 }, conflicts: { fraction: 0 } };
    const d = generateSynthetic(cfg);
    const K = d.structure.thoughtCount;
    let active = 0;
    let switchesOff = 0;
    for (let r = 0; r < d.rows; r++) {
      for (let j = 0; j < K; j++) {
        const on = d.thoughts[r * K + j]! !== 0;
        if (on) active++;
        if (on && d.step[r]! + 1 < 250 && d.thoughts[(r + 1) * K + j] === 0) switchesOff++;
        if (on) expect(d.thoughts[r * K + j]!).toBeGreaterThan(0);
      }
    }
    const rate = active / (d.rows * K);
    expect(rate).toBeGreaterThan(0.13);
    expect(rate).toBeLessThan(0.17);
    // Mean active run ≈ persistence (6 steps): P(on → off) ≈ 1/6.
    expect(switchesOff / active).toBeGreaterThan(1 / 7.5);
    expect(switchesOff / active).toBeLessThan(1 / 5);
  });

  it('makes each agent hold only its own thoughts: private-B is 0 in A\'s copy and the reverse', () => {
    const d = generateSynthetic(small);
    const K = d.structure.thoughtCount;
    const [A, B] = d.structure.agents;
    for (let r = 0; r < d.rows; r++) {
      for (const j of B!.private) expect(d.agents[0]!.thoughts[r * K + j]).toBe(0);
      for (const j of A!.private) expect(d.agents[1]!.thoughts[r * K + j]).toBe(0);
    }
    expect(d.structure.agents[0]!.thoughts).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(d.structure.agents[1]!.thoughts).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 12, 13, 14, 15]);
  });

  it('makes an agent\'s state a function of its own thoughts only', () => {
    const gen = new SyntheticGenerator(small);
    const K = gen.structure.thoughtCount;
    const z = new Float32Array(K);
    z[0] = 1.2; // shared
    z[9] = 0.7; // private-A
    z[13] = 0.9; // private-B
    const a0 = gen.hiddenFromThoughts('A', z, 1);
    const b0 = gen.hiddenFromThoughts('B', z, 1);
    const zB = z.slice();
    zB[13] = 2.5; // perturb a private-B thought
    expect(gen.hiddenFromThoughts('A', zB, 1)).toEqual(a0);
    expect(gen.hiddenFromThoughts('B', zB, 1)).not.toEqual(b0);
    const zA = z.slice();
    zA[9] = 0; // switch off a private-A thought
    expect(gen.hiddenFromThoughts('B', zA, 1)).toEqual(b0);
    expect(gen.hiddenFromThoughts('A', zA, 1)).not.toEqual(a0);
    const zS = z.slice();
    zS[0] = 0.3; // a shared thought moves both
    expect(gen.hiddenFromThoughts('A', zS, 1)).not.toEqual(a0);
    expect(gen.hiddenFromThoughts('B', zS, 1)).not.toEqual(b0);
  });

  it('records exactly mix(own copy) when noise is 0, and mix(own copy) + noise of the configured size otherwise', () => {
    const quiet = generateSynthetic({ ...small, mixing: { noise: 0 } });
    const K = quiet.structure.thoughtCount;
    for (const a of quiet.agents) {
      const h = quiet.generator.hiddenFromThoughts(a.id, a.thoughts, quiet.rows);
      expect(bytesOf(h).equals(bytesOf(a.hidden))).toBe(true);
    }
    const noisy = generateSynthetic({ ...small, mixing: { noise: 0.05 } });
    const clean = noisy.generator.hiddenFromThoughts('A', noisy.agents[0]!.thoughts, noisy.rows);
    let ss = 0;
    for (let i = 0; i < clean.length; i++) ss += (noisy.agents[0]!.hidden[i]! - clean[i]!) ** 2;
    expect(Math.sqrt(ss / clean.length)).toBeCloseTo(0.05, 2);
    expect(K).toBe(16);
  });

  it('mixes invertibly: the inverse recovers the thoughts from noise-free states', () => {
    for (const depth of [1, 2, 4]) {
      const d = generateSynthetic({ episodes: 2, steps: 80, hiddenSize: 40, seed: depth, mixing: { depth, noise: 0 } });
      const K = d.structure.thoughtCount;
      for (const [a, layout] of d.structure.agents.entries()) {
        let worst = 0;
        for (let r = 0; r < d.rows; r += 7) {
          const z = d.generator.thoughtsFromHidden(layout.id, d.agents[a]!.hidden.subarray(r * 40, (r + 1) * 40));
          layout.thoughts.forEach((j, i) => {
            worst = Math.max(worst, Math.abs(z[i]! - d.agents[a]!.thoughts[r * K + j]!));
          });
        }
        expect(worst, `depth ${depth}, agent ${layout.id}`).toBeLessThan(1e-3);
      }
    }
  });

  it('mixes nonlinearly and well-conditioned', () => {
    const gen = new SyntheticGenerator({ ...small, mixing: { depth: 3, condition: 3 } });
    for (const net of gen.networks) {
      const s = net.summary();
      expect(s.dims).toEqual([12, 32, 32, 32]); // width min(d, max(32, 4·12)) = 32
      for (const l of s.layers) expect(l.condition).toBeCloseTo(3, 5);
    }
    // Not linear: f(2z) ≠ 2 f(z) − f(0) by a margin.
    const K = gen.structure.thoughtCount;
    const z = new Float32Array(3 * K);
    z[0] = 1;
    z[1] = 0.8;
    z[K + 0] = 2;
    z[K + 1] = 1.6;
    const h = gen.hiddenFromThoughts('A', z, 3);
    let dev = 0;
    for (let i = 0; i < 32; i++) dev = Math.max(dev, Math.abs(h[32 + i]! - (2 * h[i]! - h[64 + i]!)));
    expect(dev).toBeGreaterThan(0.05);
  });

  it('is more nearly linear at a smaller pre-activation scale', () => {
    const nonlinearity = (scale: number) => {
      const gen = new SyntheticGenerator({ ...small, mixing: { scale } });
      const K = gen.structure.thoughtCount;
      const z = new Float32Array(3 * K);
      z[0] = 1;
      z[K] = 2;
      const h = gen.hiddenFromThoughts('A', z, 3); // rows: z, 2z, 0
      let dev = 0;
      let size = 0;
      for (let i = 0; i < 32; i++) {
        dev += (h[32 + i]! - 2 * h[i]! + h[64 + i]!) ** 2;
        size += (h[i]! - h[64 + i]!) ** 2;
      }
      return Math.sqrt(dev / size);
    };
    const values = [0.05, 0.5, 2].map(nonlinearity);
    expect(values[0]).toBeLessThan(0.05);
    expect(values[1]).toBeGreaterThan(3 * values[0]!);
    expect(values[2]).toBeGreaterThan(values[1]!);
    expect(values[2]).toBeGreaterThan(0.3);
  });
});
