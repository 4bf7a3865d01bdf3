// Runs a reasoning-style experiment (gamesSpec.ts): per seed, the game agent (trained once and
// saved under agents/s<seed>/), its evaluation per game × co-player family against the held-out
// and the training members, a uniformly random player's against the held-out members, and the
// style probes; one cell per seed in cells/s<seed>.json. A predictor (agent.target
// 'co-player-move') does not act: its episodes are played by a random agent (moves independent
// of the co-player, so the Bayes ceiling holds) and it reads them. Resumable: a finished cell is
// loaded, a saved agent reused; files are written atomically, so an interrupted run leaves no
// half cell. The seeds of every random stream depend on the seed only (as in the bench this
// replaced), so a rerun reproduces the cell.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { writeFileAtomic } from '../../data/index.js';
import { coPlayerPopulation, evaluateGames, gameIndex, replayHidden, styleProbes, trainGameAgent, type GameAgent, type GameAgentConfig, type GameStyleCell, type ProbeRound } from '../../agents/games/index.js';
import { saveCheckpoint } from '../../agents/ipd/index.js';
import { makeRng } from '../../util/random.js';
import { loadSavedAgent, type AgentEntry, type ExperimentProgress } from '../runExperiment.js';
import type { ResolvedGamesSpec } from './gamesSpec.js';

export interface GamesCell {
  seed: number;
  config: GameAgentConfig;
  agentDir: string;
  trainSeconds: number;
  evalSeconds: number;
  probeSeconds: number;
  loss: number[];
  /** Per game × family against the held-out members (the experiment's result). */
  agent: GameStyleCell[];
  /** The same against the training members. */
  trainMembers: GameStyleCell[];
  /** A uniformly random player against the held-out members. */
  random: GameStyleCell[];
  probes: ProbeRound[];
}

export interface GamesRun {
  spec: ResolvedGamesSpec;
  dir: string;
  cells: GamesCell[];
  resumedCells: number;
  seconds: number;
}

export const gamesCellFile = (dir: string, seed: number): string => join(dir, 'cells', `s${seed}.json`);

function agentFor(spec: ResolvedGamesSpec, dir: string, seed: number, onEpoch: (e: number, loss: number) => void): AgentEntry {
  const d = join(dir, 'agents', `s${seed}`);
  const saved = loadSavedAgent(d);
  if (saved) return saved;
  const cfg: GameAgentConfig = { ...spec.agent, games: [...spec.agent.games], seed };
  const r = trainGameAgent(cfg, onEpoch);
  saveCheckpoint(d, r.model, {
    name: `games-${cfg.target}-s${seed}`,
    stage: `games-${cfg.target}`,
    seed,
    poolStyles: [],
    train: { ...cfg },
    metrics: { seconds: r.seconds, loss: r.loss, roundsFitted: r.roundsFitted },
    command: `thoughtlens experiment (spec '${spec.name}')`,
  });
  return { model: r.model, dir: d, seconds: r.seconds, loss: r.loss };
}

export function runGamesExperiment(spec: ResolvedGamesSpec, outDir: string, onProgress?: (p: ExperimentProgress) => void): GamesRun {
  const t0 = performance.now();
  const dir = resolve(outDir);
  mkdirSync(join(dir, 'cells'), { recursive: true });
  mkdirSync(join(dir, 'agents'), { recursive: true });
  writeFileAtomic(join(dir, 'spec.resolved.json'), JSON.stringify(spec, null, 1) + '\n');
  const games = spec.agent.games.map(gameIndex);
  const trainCo = coPlayerPopulation('train', games);
  const heldOut = coPlayerPopulation('held-out', games);
  const predictor = spec.agent.target === 'co-player-move';
  const rounds = spec.evaluate.probeRounds;
  const E = spec.evaluate.episodesPerCoPlayer;
  const cells: GamesCell[] = [];
  let resumedCells = 0;
  const total = spec.seeds.length;
  for (const seed of spec.seeds) {
    const file = gamesCellFile(dir, seed);
    if (existsSync(file)) {
      cells.push(JSON.parse(readFileSync(file, 'utf8')) as GamesCell);
      resumedCells++;
      onProgress?.({ phase: 'evaluate', done: cells.length, total, label: `s${seed}`, resumed: true });
      continue;
    }
    const a = agentFor(spec, dir, seed, (e, l) => onProgress?.({ phase: 'train', done: cells.length, total, label: `s${seed} epoch ${e} loss ${l.toFixed(4)}`, resumed: false }));
    onProgress?.({ phase: 'evaluate', done: cells.length, total, label: `s${seed} evaluate`, resumed: false });
    const t1 = performance.now();
    const steps = spec.agent.steps;
    const actor: GameAgent = predictor ? { kind: 'random' } : { kind: 'model', model: a.model };
    const ev = evaluateGames(actor, heldOut, { episodesPerCoPlayer: E, steps, seed: 1000 + seed, hiddenRounds: rounds });
    const evTrain = evaluateGames(actor, trainCo, { episodesPerCoPlayer: E, steps, seed: 2000 + seed, hiddenRounds: rounds });
    if (predictor) for (const e of [ev, evTrain]) e.record.hidden = replayHidden(a.model, e.record, rounds);
    const rnd = evaluateGames({ kind: 'random' }, heldOut, { episodesPerCoPlayer: E, steps, seed: 1000 + seed });
    const t2 = performance.now();
    onProgress?.({ phase: 'evaluate', done: cells.length, total, label: `s${seed} probes`, resumed: false });
    const probes = styleProbes(a.model, evTrain.record, trainCo, ev.record, heldOut, rounds, makeRng(3000 + seed));
    const t3 = performance.now();
    const cell: GamesCell = {
      seed,
      config: { ...spec.agent, games: [...spec.agent.games], seed },
      agentDir: a.dir,
      trainSeconds: a.seconds,
      evalSeconds: (t2 - t1) / 1000,
      probeSeconds: (t3 - t2) / 1000,
      loss: a.loss,
      agent: ev.cells,
      trainMembers: evTrain.cells,
      random: rnd.cells,
      probes,
    };
    writeFileAtomic(file, JSON.stringify(cell) + '\n');
    cells.push(cell);
    onProgress?.({ phase: 'evaluate', done: cells.length, total, label: `s${seed}`, resumed: false });
  }
  return { spec, dir, cells, resumedCells, seconds: (performance.now() - t0) / 1000 };
}
