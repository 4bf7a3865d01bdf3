import { describe, expect, it } from 'vitest';
import { ConfigError, resolveSaeConfig } from '../../sae/index.js';

const agents = [
  { id: 'A', dim: 8 },
  { id: 'B', dim: 6 },
];

describe('resolveSaeConfig', () => {
  it('applies defaults and freezes', () => {
    const c = resolveSaeConfig({ agents });
    expect(c.mode).toBe('batchtopk');
    expect(c.latents).toBe(1024);
    expect(Object.isFrozen(c)).toBe(true);
    expect(Object.isFrozen(c.agents[0])).toBe(true);
  });
  it('names the bad field', () => {
    expect(() => resolveSaeConfig({ agents, latents: -3 })).toThrow(/'latents'/);
    expect(() => resolveSaeConfig({ agents, mode: 'nope' as never })).toThrow(/'mode' must be one of/);
    expect(() => resolveSaeConfig({ agents: [agents[0]!] })).toThrow(ConfigError);
    expect(() => resolveSaeConfig({ agents, k: 5000, latents: 64 })).toThrow(/'k'/);
  });
  it('checks partitioned blocks against latents and agents', () => {
    expect(() => resolveSaeConfig({ agents, mode: 'partitioned', latents: 10, blocks: { shared: 4, private: { A: 3, B: 2 } } })).toThrow(/sums to 9/);
    expect(() => resolveSaeConfig({ agents, mode: 'partitioned', latents: 10, blocks: { shared: 4, private: { A: 3, C: 3 } } })).toThrow(/names no agent/);
    const c = resolveSaeConfig({ agents, mode: 'partitioned', latents: 10, blocks: { shared: 4, private: { A: 3, B: 3 } } });
    expect(c.mode === 'partitioned' && c.blocks.private.B).toBe(3);
  });
});
