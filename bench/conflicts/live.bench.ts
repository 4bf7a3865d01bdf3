// Live scoring latency: a child process replays held-out episodes of a synthetic run into a
// new run, a batch of `--batch` steps every `--interval` ms; this process follows it with
// followRun (as `thoughtlens detect --follow` does), appends each batch's flags to a file,
// and measures per batch the time from the writer's flush returning (bytes in the page cache)
// to the flags being appended. Prints median, p90, p99 and max, for all batches and for
// batches that raised flags.
//   npx tsx bench/conflicts/live.bench.ts [--batch 25] [--interval 50] [--poll 10] [--episodes 20] [--seed 1]
import { spawn } from 'node:child_process';
import { appendFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { recordSynthetic } from '../../agents/index.js';
import { openRun } from '../../data/index.js';
import { ConflictScorer, ccaViews, episodeRows, fitDetector, flagCsvRow, flagsCsvHeader, followRun, loadEpisodes, nowMs, resolveEventSpec, selectEpisodes } from '../../conflicts/index.js';
import { quantile } from '../../util/quantile.js';
import { copyEpisodes } from './runSubset.js';

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2) args.set(process.argv[i]!.replace(/^--/, ''), process.argv[i + 1]!);
const num = (k: string, d: number) => Number(args.get(k) ?? d);
const BATCH = num('batch', 25);
const INTERVAL = num('interval', 50);
const POLL = num('poll', 10);
const EP = num('episodes', 20);
const SEED = num('seed', 1);
const root = join(process.cwd(), 'artifacts', 'conflicts', 'live');
rmSync(root, { recursive: true, force: true });
mkdirSync(root, { recursive: true });

const src = join(root, 'src');
await recordSynthetic(src, { episodes: 40 + EP, steps: 200, hiddenSize: 64, seed: SEED, conflicts: { fraction: 0.5, lag: 10 } });
const all = loadEpisodes(openRun(src));
const det = fitDetector(selectEpisodes(all, (e) => e.episode < 40), {
  events: resolveEventSpec(all.agents, all.columnSpecs),
  views: ccaViews(8),
  config: { horizon: 15, far: 0.001, lambda: 0.35 },
});
const heldDir = copyEpisodes(src, join(root, 'held'), (e) => e >= 40);
const live = join(root, 'live');
const writerLog = join(root, 'writer.jsonl');
const flagsFile = join(root, 'flags.csv');
writeFileSync(flagsFile, flagsCsvHeader());

const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'liveWriter.ts'), heldDir, live, String(BATCH), String(INTERVAL), writerLog], { stdio: 'inherit' });
// Wait for the run folder to exist before following it.
for (let i = 0; i < 500; i++) {
  try {
    openRun(live);
    break;
  } catch {
    await new Promise((r) => setTimeout(r, 10));
  }
}
const done: { episode: number; step: number; t: number; flags: number; scoreMs: number }[] = [];
const summary = await followRun(det, live, {
  pollMs: POLL,
  onBatch: ({ scored, batch }) => {
    const t0 = nowMs();
    if (scored.flags.length) appendFileSync(flagsFile, scored.flags.map(flagCsvRow).join(''));
    const last = batch.length - 1;
    done.push({ episode: batch.episode[last]!, step: batch.step[last]!, t: nowMs(), flags: scored.flags.length, scoreMs: t0 });
  },
});
await new Promise((r) => child.on('exit', r));
const log = readFileSync(writerLog, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { episode?: number; step?: number; t: number; end?: boolean });
const flushAt = new Map(log.filter((l) => !l.end).map((l) => [`${l.episode}/${l.step}`, l.t]));
const lat: number[] = [];
const latFlagged: number[] = [];
let unmatched = 0;
for (const d of done) {
  const t = flushAt.get(`${d.episode}/${d.step}`);
  if (t === undefined) {
    unmatched++;
    continue;
  }
  lat.push(d.t - t);
  if (d.flags) latFlagged.push(d.t - t);
}
// Offline scoring throughput of the same detector (whole episodes, one scorer).
const t0 = performance.now();
let scoredSteps = 0;
const scorer = new ConflictScorer(det);
for (const e of all.episodes) scoredSteps += scorer.push(episodeRows(e)).length;
const scoringStepsPerSec = scoredSteps / ((performance.now() - t0) / 1000);
const stats = (x: number[]) => ({ n: x.length, median: quantile(x, 0.5), p90: quantile(x, 0.9), p99: quantile(x, 0.99), max: Math.max(...x) });
const result = {
  command: `npx tsx bench/conflicts/live.bench.ts ${process.argv.slice(2).join(' ')}`.trim(),
  params: { batch: BATCH, intervalMs: INTERVAL, pollMs: POLL, episodes: EP, seed: SEED },
  batches: summary.batches,
  steps: summary.steps,
  flags: summary.flags,
  unmatchedBatches: unmatched,
  latencyMs: stats(lat),
  latencyFlaggedMs: stats(latFlagged),
  scoringStepsPerSec,
  views: { kind: 'cca-raw', components: 8, randomFeatures: 256, dims: [64, 64] },
};
writeFileSync(join(root, 'live.json'), JSON.stringify(result, null, 1));
console.log(JSON.stringify(result, null, 1));
