// Play-time settings for trained planners (no retraining): each checkpoint plays the
// threshold styles with every search depth in --depths (trained: 2) and every cooperation
// margin in --margins (trained: 0; cooperate unless defecting's searched value beats
// cooperating's by more than the margin).
//   npx tsx bench/agents/plannerMargin.bench.ts --checkpoints a/gru-planner,b/gru-planner --depths 2,3 --margins 0,0.5 \
//     --episodes 100 --out artifacts/agents/planner-margin
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { evaluateVsStyles, isPlanner, loadCheckpoint } from '../../agents/ipd/index.js';
import { loadPool, styleIndex } from '../../agents/pool/index.js';
import { benchArgs } from './benchArgs.js';

const args = benchArgs();
const out = resolve(args.out ?? 'artifacts/agents/planner-margin');
const margins = (args.margins ?? '0,0.5,1,2').split(',').map(Number);
const depths = (args.depths ?? '2').split(',').map(Number);
const episodes = Number(args.episodes ?? 100);
const pool = loadPool(args.pool);
const names = [
  'tit-for-tat',
  'grim-trigger',
  'always-defect',
  'random',
  'two-strike-grim',
  'suspicious-tit-for-tat',
  'mostly-defect',
  'always-cooperate',
];
const styles = names.map((s) => styleIndex(pool, s));
const rows: {
  checkpoint: string;
  depth: number;
  margin: number;
  lateCoop: Record<string, number>;
}[] = [];
mkdirSync(out, { recursive: true });
for (const dir of (args.checkpoints ?? '').split(',').filter(Boolean)) {
  const ck = loadCheckpoint(dir);
  if (!isPlanner(ck.model)) throw new Error(`${dir} is not a planner checkpoint`);
  for (const depth of depths)
    for (const margin of margins) {
      ck.model.plan.depth = depth;
      ck.model.plan.coopMargin = margin;
      const ev = evaluateVsStyles(ck.model, pool, { episodes, seed: 1000 }, styles);
      const lateCoop = Object.fromEntries(ev.map((e) => [e.style, e.lateCoop]));
      rows.push({ checkpoint: dir, depth, margin, lateCoop });
      console.error(
        `${dir} depth ${depth} margin ${margin}: ` +
          ev.map((e) => `${e.style} ${e.lateCoop.toFixed(2)}`).join(', '),
      );
    }
}
writeFileSync(
  join(out, args.name ?? 'margins.json'),
  JSON.stringify({ depths, margins, episodes, styles: names, rows }),
);
