import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExperimentSpecError, loadExperimentSpec, resolveExperimentSpec } from '../../experiments/index.js';

const good = {
  name: 'tiny',
  seeds: [1, 2],
  baseline: 'whole',
  conditions: [{ name: 'whole' }, { name: 'iso', agent: { context: 'isolated' } }, { name: 'peer', prefix: { memory: 'exploited', length: 5 } }],
};

const fails = (spec: unknown, re: RegExp): void => {
  expect(() => resolveExperimentSpec(spec)).toThrow(ExperimentSpecError);
  expect(() => resolveExperimentSpec(spec)).toThrow(re);
};

describe('resolveExperimentSpec', () => {
  it('applies defaults and merges condition agent overrides', () => {
    const r = resolveExperimentSpec(good);
    expect(r.conditions.map((c) => c.agent.context)).toEqual(['whole', 'isolated', 'whole']);
    expect(r.conditions[2]!.prefix).toEqual({ memory: 'exploited', length: 5, noise: 0.1 });
    expect(r.evaluate.steps).toBe(50);
  });

  it('names an unknown baseline condition', () => fails({ ...good, baseline: 'nope' }, /baseline.*must name a condition.*"nope"/));
  it('refuses a spec without seeds', () => {
    const { seeds: _s, ...noSeeds } = good;
    fails(noSeeds, /'seeds' is missing/);
    fails({ ...good, seeds: [] }, /'seeds' is missing or empty/);
  });
  it('refuses unknown fields, contexts and memories', () => {
    fails({ ...good, extra: 1 }, /unknown field 'extra'/);
    fails({ ...good, conditions: [{ name: 'whole', agent: { context: 'bursty' } }] }, /conditions\[0\].*context/);
    fails({ ...good, conditions: [{ name: 'whole', prefix: { memory: 'angry', length: 3 } }] }, /prefix.memory must be one of/);
    fails({ ...good, conditions: [{ name: 'whole' }, { name: 'whole' }] }, /used twice/);
    fails({ ...good, conditions: [{ name: 'whole', history: { at: 80, transform: 'shuffle' } }] }, /below evaluate.steps/);
    fails({ ...good, agent: { seed: 3 } }, /seed comes from 'seeds'/);
  });
  it('reports a bad path and bad JSON with the file, writing nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tl-spec-'));
    expect(() => loadExperimentSpec(join(dir, 'missing.json'))).toThrow(/spec file not found/);
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{ "name": ');
    expect(() => loadExperimentSpec(bad)).toThrow(/not valid JSON.*bad.json/);
    const unknown = join(dir, 'unknown.json');
    writeFileSync(unknown, JSON.stringify({ ...good, baseline: 'x' }));
    expect(() => loadExperimentSpec(unknown)).toThrow(/unknown.json/);
    expect(readdirSync(dir).sort()).toEqual(['bad.json', 'unknown.json']);
    expect(existsSync(join(dir, 'cells'))).toBe(false);
  });
});
