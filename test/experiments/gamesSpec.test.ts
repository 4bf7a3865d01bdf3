import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_GAMES_EVALUATE, ExperimentSpecError, loadAnyExperimentSpec, resolveGamesSpec } from '../../experiments/index.js';
import { DEFAULT_GAME_AGENT } from '../../agents/games/index.js';
import { tempDir } from '../helpers/tmp.js';

const good = { kind: 'games', name: 'styles', seeds: [1, 2], agent: { hidden: 8, steps: 12 } };

const fails = (spec: unknown, re: RegExp): void => {
  expect(() => resolveGamesSpec(spec)).toThrow(ExperimentSpecError);
  expect(() => resolveGamesSpec(spec)).toThrow(re);
};

describe('resolveGamesSpec', () => {
  it('applies the game agent defaults and keeps only probe rounds below the episode length', () => {
    const r = resolveGamesSpec(good);
    expect(r.kind).toBe('games');
    expect(r.agent.hidden).toBe(8);
    expect(r.agent.episodes).toBe(DEFAULT_GAME_AGENT.episodes);
    expect('seed' in r.agent).toBe(false);
    expect(r.evaluate.episodesPerCoPlayer).toBe(DEFAULT_GAMES_EVALUATE.episodesPerCoPlayer);
    expect(r.evaluate.probeRounds).toEqual([1, 2, 3, 5, 10]);
    expect(resolveGamesSpec({ ...good, agent: {} }).evaluate.probeRounds).toEqual([1, 2, 3, 5, 10, 19]);
  });

  it('refuses a spec without seeds, unknown fields and bad agent settings, naming the field', () => {
    const { seeds: _s, ...noSeeds } = good;
    fails(noSeeds, /'seeds' is missing/);
    fails({ ...good, seeds: [1, 1] }, /repeats a seed/);
    fails({ ...good, conditions: [] }, /unknown field 'conditions'/);
    fails({ ...good, agent: { seed: 4 } }, /seed comes from 'seeds'/);
    fails({ ...good, agent: { hidden: 0 } }, /agent: field 'hidden' must be a positive integer/);
    fails({ ...good, agent: { games: ['poker'] } }, /agent: field 'games'/);
    fails({ ...good, agent: { style: 'x' } }, /agent: unknown field 'style'/);
    fails({ ...good, agent: { target: 'co-player-move' } }, /onPolicyEpisodes' must be 0/);
    fails({ ...good, evaluate: { probeRounds: [1, 12] } }, /round 12 must be below agent.steps \(12\)/);
    fails({ ...good, evaluate: { probeRounds: [3, 2] } }, /increasing without repeats/);
    fails({ ...good, evaluate: { episodesPerCoPlayer: 1 } }, /episodesPerCoPlayer must be an integer ≥ 2/);
    fails({ ...good, evaluate: { rounds: [1] } }, /evaluate: unknown field 'rounds'/);
  });

  it('is chosen by kind from a file; a bad kind or a bad file is one error naming the file, and nothing is written', () => {
    const dir = tempDir();
    const f = (name: string, body: unknown): string => {
      const p = join(dir, name);
      writeFileSync(p, typeof body === 'string' ? body : JSON.stringify(body));
      return p;
    };
    expect(loadAnyExperimentSpec(f('games.json', good)).kind).toBe('games');
    const context = loadAnyExperimentSpec(f('context.json', { name: 'c', seeds: [1], baseline: 'a', conditions: [{ name: 'a' }] }));
    expect(context.kind).toBeUndefined();
    expect(() => loadAnyExperimentSpec(f('kind.json', { ...good, kind: 'poker' }))).toThrow(/spec field 'kind' must be one of context, games, got "poker".*kind\.json/);
    expect(() => loadAnyExperimentSpec(f('bad.json', { ...good, agent: { hidden: -1 } }))).toThrow(/hidden.*bad\.json/);
    expect(() => loadAnyExperimentSpec(join(dir, 'missing.json'))).toThrow(/spec file not found/);
    expect(readdirSync(dir).sort()).toEqual(['bad.json', 'context.json', 'games.json', 'kind.json']);
  });
});
