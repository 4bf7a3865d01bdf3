// GET /api/runs/:id/network?episode=E: a network run's graph with every node's belief per step
// and every edge's representational alignment (per-edge z-scores of conflicts/detectEdges.ts,
// threshold at 1 % false alarms per edge-step), for the graph view. The views are those
// `detect <run>` uses with no flags (conflicts/input/findNetworkDictionary.ts): the dictionary
// trained on the run's neighbour pairs (or nodes) when there is one, raw node states otherwise.
// Detection runs once per run, manifest version and dictionary, and is cached.
import type { Router } from 'express';
import { join } from 'node:path';
import { openRun, readManifest } from '../../data/index.js';
import { detectEdges, edgeDictionary, findNetworkDictionary, loadEpisodes, readNetworkTruth, type DetectEdgesResult } from '../../conflicts/index.js';
import { currentBackend, selectBackend } from '../../sae/index.js';
import { BadRequestError } from '../errors.js';
import { versionKey } from '../fileVersion.js';
import { intParam, param } from '../httpHelpers.js';
import type { NetworkView } from '../protocol.js';
import type { Workbench } from '../workbench.js';

const cache = new Map<string, { key: string; result: DetectEdgesResult }>();

async function detection(dir: string, updatedAt: string, workspace: string): Promise<DetectEdgesResult> {
  const sae = findNetworkDictionary(workspace, dir);
  const key = `${updatedAt}|${sae ?? ''}|${sae ? versionKey(['cfg.json', 'model.safetensors', 'split.json'].map((f) => join(sae, f))) : ''}`;
  const hit = cache.get(dir);
  if (hit && hit.key === key) return hit.result;
  let result: DetectEdgesResult;
  if (sae) {
    if (!currentBackend()) await selectBackend();
    result = detectEdges({ runDir: dir, keepScores: true, ...edgeDictionary(sae) });
  } else result = detectEdges({ runDir: dir, keepScores: true });
  cache.set(dir, { key, result });
  if (cache.size > 8) cache.delete(cache.keys().next().value!);
  return result;
}

export function networkRoute(router: Router, wb: Workbench): void {
  router.get('/api/runs/:id/network', async (req, res) => {
    const id = param(req, 'id');
    const dir = wb.paths.runDir(id);
    const m = readManifest(dir);
    if (m.source.kind !== 'network') throw new BadRequestError(`run '${id}' is not a network run (source ${m.source.kind}); record one with thoughtlens record network`);
    const truth = readNetworkTruth(dir);
    const det = await detection(dir, m.updatedAt, wb.paths.root);
    const episodes = det.scores!.map((s) => s.episode);
    const episode = intParam(req, 'episode', truth.faults[0]?.episode ?? episodes[0] ?? 0, 0, 2 ** 31 - 1);
    const scores = det.scores!.find((s) => s.episode === episode);
    if (!scores) throw new BadRequestError(`run '${id}' has no episode ${episode} (episodes ${episodes[0]}..${episodes[episodes.length - 1]})`);
    const set = loadEpisodes(openRun(dir), { include: (e) => e === episode });
    const e = set.episodes[0]!;
    const col = (name: string) => set.agents.map((_, a) => e.columns[a]![name] ?? []);
    const perStep = <T>(cols: unknown[][], f: (v: unknown) => T) => Array.from({ length: e.length }, (_, t) => cols.map((c) => f(c[t])));
    const f = truth.faults.find((x) => x.episode === episode);
    const body: NetworkView = {
      run: id,
      task: truth.task,
      nodes: truth.agents.length,
      edges: truth.edges,
      episodes,
      episode,
      steps: e.length,
      beliefs: perStep(col('belief'), Number),
      answers: perStep(col('action'), Number),
      disagree: perStep(col('disagree'), Boolean),
      fault: f ? { node: f.node, kind: f.kind, step: f.step, neighbourActedStep: f.neighbourActedStep, affectedPerStep: f.affectedPerStep ?? [] } : null,
      alignment: scores.z.map((z) => Array.from(z, (v) => (Number.isFinite(v) ? Math.round(v * 1000) / 1000 : null))),
      threshold: Number.isFinite(det.threshold) ? det.threshold : null,
      views: det.views,
    };
    res.json(body);
  });
}
