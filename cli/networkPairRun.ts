// `train <network-run>` trains a neighbour-pair dictionary by default: the network run rewritten
// as (node, neighbour) pairs over every directed edge (conflicts/input/edgePairRun.ts), kept in
// the workspace as run <id>-pairs so `detect <id>` finds the dictionary trained on it. An
// up-to-date pair run is reused; a stale one (the network run has grown since) is rewritten; a
// run of that name that is not a pair run is never touched.
import { existsSync, rmSync } from 'node:fs';
import { EDGE_PAIRS_SOURCE, PAIR_ROWS_DEFAULT, pairRunDirFor, sourceRows, writeEdgePairRun } from '../conflicts/index.js';
import { openRun, readManifest } from '../data/index.js';
import { ConfigError } from '../sae/index.js';

export const isNetworkRun = (runDir: string): boolean => openRun(runDir).manifest.source.kind === 'network';

export function ensurePairRun(workspace: string, runDir: string, log: (line: string) => void): string {
  const run = openRun(runDir);
  const dir = pairRunDirFor(workspace, runDir);
  const rows = sourceRows(run.manifest.counts);
  if (existsSync(dir)) {
    let m: ReturnType<typeof readManifest> | null = null;
    try {
      m = readManifest(dir);
    } catch {
      m = null;
    }
    if (!m || m.source.kind !== EDGE_PAIRS_SOURCE) throw new ConfigError(`${dir} exists and is not a neighbour-pair run: move it, or give --over nodes`);
    const p = m.source.params ?? {};
    if (p.run === run.manifest.id && p.sourceRows === rows) {
      log(`neighbour pairs: reusing ${dir}`);
      return dir;
    }
    rmSync(dir, { recursive: true, force: true });
  }
  const t0 = performance.now();
  const pr = writeEdgePairRun(runDir, dir);
  const edges = pr.edgesPerEpisode === pr.edges.length ? `${pr.edges.length} directed edges` : `${pr.edgesPerEpisode} of the ${pr.edges.length} directed edges per episode (a window that moves each episode; capped at ${PAIR_ROWS_DEFAULT} rows)`;
  log(`neighbour pairs: wrote ${dir} — ${edges} × ${rows} steps = ${pr.rows} (node, neighbour) rows in ${((performance.now() - t0) / 1000).toFixed(1)} s (--over nodes trains a crosscoder over all nodes instead)`);
  return dir;
}
