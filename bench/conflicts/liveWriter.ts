// Child process of live.bench.ts: replays a recorded run into a new run as a live
// recorder would, `batchRows` steps at a time every `intervalMs`, flushing each batch, and
// logs (episode, step of the batch's last row, time the flush returned) as JSON lines.
//   npx tsx bench/conflicts/liveWriter.ts <srcRun> <liveRun> <batchRows> <intervalMs> <log>
import { appendFileSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { createRun, openRun } from '../../data/index.js';

const [src, dst, batchRowsS, intervalS, logFile] = process.argv.slice(2) as [string, string, string, string, string];
const batchRows = Number(batchRowsS);
const interval = Number(intervalS);
const run = openRun(src);
const agents = run.manifest.agents;
const w = createRun(dst, { source: { kind: 'bench-live-replay', params: { of: run.manifest.id } }, agents, flushIntervalMs: 0, batchRows: 1 << 20 });
writeFileSync(logFile, '');
const now = () => performance.timeOrigin + performance.now();
let pending = 0;
for (const b of run.joined({ validate: false })) {
  for (let r0 = 0; r0 < b.length; ) {
    const n = Math.min(batchRows - pending, b.length - r0);
    agents.forEach((a, i) => {
      const d = a.hiddenSize;
      const columns = Object.fromEntries(Object.entries(b.columns[i]!).map(([k, v]) => [k, Array.from({ length: n }, (_, j) => v[r0 + j] as number | boolean | null)]));
      w.append(a.id, { episode: b.episode.subarray(r0, r0 + n), step: b.step.subarray(r0, r0 + n), hidden: b.hidden[i]!.subarray(r0 * d, (r0 + n) * d), columns });
    });
    pending += n;
    r0 += n;
    if (pending === batchRows) {
      w.flush();
      appendFileSync(logFile, JSON.stringify({ episode: b.episode[r0 - 1], step: b.step[r0 - 1], t: now() }) + '\n');
      pending = 0;
      await sleep(interval);
    }
  }
}
w.close();
appendFileSync(logFile, JSON.stringify({ end: true, t: now() }) + '\n');
