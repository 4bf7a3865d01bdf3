// Turns the JSON outputs of the agents benchmarks into the markdown tables of
// docs/RESULTS.md and docs/PERFORMANCE.md. Thresholds are fixed here (from issue 4)
// before the runs they judge.
//   npx tsx bench/agents/summarize.ts --in artifacts/agents/try1 --emergence artifacts/agents/emergence \
//     --planner artifacts/agents/planner --planner-emergence artifacts/agents/planner-emergence
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { benchArgs } from './benchArgs.js';
import { IN_CONTEXT_THRESHOLDS } from './inContextThresholds.js';

const THRESHOLDS = IN_CONTEXT_THRESHOLDS;

const args = benchArgs();
const dir = resolve(args.in ?? 'artifacts/agents');
const emDir = resolve(args.emergence ?? join(dir, '..', 'emergence'));
const read = (d: string, re: RegExp): any[] => (existsSync(d) ? readdirSync(d).filter((f) => re.test(f)).sort().map((f) => JSON.parse(readFileSync(join(d, f), 'utf8'))) : []); // eslint-disable-line @typescript-eslint/no-explicit-any
const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const sd = (xs: number[]): number => (xs.length < 2 ? 0 : Math.sqrt(xs.reduce((a, b) => a + (b - mean(xs)) ** 2, 0) / (xs.length - 1)));
const T95: Record<number, number> = { 1: 12.71, 2: 4.3, 3: 3.18, 4: 2.78, 5: 2.57, 6: 2.45, 7: 2.36, 8: 2.31, 9: 2.26 };
const ci = (xs: number[]): string => `${mean(xs).toFixed(2)} ± ${((T95[xs.length - 1] ?? 2) * sd(xs) / Math.sqrt(xs.length)).toFixed(2)}`;
const out: string[] = [];

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function inContextTables(ic: any[], title: string, perfLabel: string): void {
  if (!ic.length) return;
  out.push(title);
  out.push('', 'Late cooperation = the last 20 rounds of 100, 200 episodes per style and seed; mean ± 95% CI over seeds.', '');
  out.push('| style | group | held out | late coop | coop | reward | rounds to adapt | threshold | pass |', '|---|---|---|---|---|---|---|---|---|');
  for (const [k, s0] of ic[0].styles.entries()) {
    const xs = ic.map((r) => r.styles[k]);
    const late = xs.map((s: { lateCoop: number }) => s.lateCoop);
    const th = THRESHOLDS[s0.style];
    const pass = th ? (th[0] === '>=' ? mean(late) >= th[1] : mean(late) <= th[1]) : null;
    out.push(`| ${s0.style} | ${s0.group} | ${s0.heldOut ? 'yes' : ''} | ${ci(late)} | ${mean(xs.map((s: { coop: number }) => s.coop)).toFixed(2)} | ${mean(xs.map((s: { reward: number }) => s.reward)).toFixed(2)} | ${mean(xs.map((s: { adaptRounds: number }) => s.adaptRounds)).toFixed(0)} | ${th ? `${th[0]} ${th[1]}` : ''} | ${pass === null ? '' : pass ? 'yes' : '**no**'} |`);
  }
  const perSeed = Object.keys(THRESHOLDS).map((name) => {
    const k = ic[0].styles.findIndex((s: { style: string }) => s.style === name);
    if (k < 0) return '';
    const th = THRESHOLDS[name]!;
    const ok = ic.filter((r) => (th[0] === '>=' ? r.styles[k].lateCoop >= th[1] : r.styles[k].lateCoop <= th[1])).length;
    return `${name} ${ok}/${ic.length}`;
  });
  out.push('', `Seeds passing each threshold on their own: ${perSeed.filter(Boolean).join(', ')}.`);
  const rounds = [0, 1, 2, 3, 5, 10, 20, 50, 99];
  out.push('', 'Adaptation curves: cooperation by round (mean over seeds; per-seed 95% intervals are in the JSON).', '');
  out.push(`| style | ${rounds.map((r) => `r${r}`).join(' | ')} |`, `|---|${rounds.map(() => '---').join('|')}|`);
  for (const [k, s0] of ic[0].styles.entries()) {
    out.push(`| ${s0.style} | ${rounds.map((r) => mean(ic.map((x) => x.styles[k].curve.mean[r])).toFixed(2)).join(' | ')} |`);
  }
  for (const key of ['switchTftAlld', 'switchAlldTft'] as const) {
    const s = ic.map((r) => r[key]);
    out.push('', `Switch ${s[0].from} → ${s[0].to} at round ${s[0].switchAt}: cooperation before ${ci(s.map((x) => x.coopBefore))}, after ${ci(s.map((x) => x.coopAfter))}, rounds to settle ${ci(s.map((x) => x.adaptRounds))}.`);
    const rr = [s[0].switchAt - 2, s[0].switchAt - 1, s[0].switchAt, s[0].switchAt + 1, s[0].switchAt + 2, s[0].switchAt + 3, s[0].switchAt + 5, s[0].switchAt + 10, 99];
    out.push('', `| round | ${rr.join(' | ')} |`, `|---|${rr.map(() => '---').join('|')}|`, `| coop | ${rr.map((r) => mean(s.map((x) => x.curve.mean[r])).toFixed(2)).join(' | ')} |`);
  }
  out.push('', `Against a copy of itself: cooperation ${ci(ic.map((r) => r.selfPlay.coopA))}.`);
  const steps = ic.map((r) => r.agentStepsPerSecond ?? r.agentSteps / r.trainSeconds);
  out.push('', `PERF ${perfLabel}: ${ci(ic.map((r) => r.trainSeconds))} s per seed, ${ci(steps)} agent-steps/s (${ic[0].agentSteps} agent-steps)` + (ic[0].evalSeconds !== undefined ? `; evaluation of 200 episodes × ${ic[0].styles.length} styles ${ci(ic.map((r) => r.evalSeconds))} s.` : '.'));
}

const ic = read(dir, /^inContext-.*\.json$/);
inContextTables(ic, `### In-context best response (stage 1, ${ic.length} seeds: ${ic.map((r) => r.seed).join(', ')}; ${ic[0]?.updates} updates × ${ic[0]?.episodes} episodes)`, 'stage 1');

const plDir = args.planner ? resolve(args.planner) : null;
const pl = plDir ? read(plDir, /^planner-seed-.*\.json$/) : [];
inContextTables(
  pl,
  `### Model-based planner (${pl[0]?.arch ?? "gru"}): in-context best response (${pl.length} seeds: ${pl.map((r) => r.seed).join(', ')}; ${pl[0]?.iterations} iterations, depth ${pl[0]?.depth}, value target ${pl[0]?.valueTarget})`,
  'planner',
);

const peDir = args['planner-emergence'] ? resolve(args['planner-emergence']) : null;
const pe = peDir ? read(peDir, /^(mixed|selfplay|identity)-seed-.*\.json$/) : [];
if (pe.length) {
  const variants = [...new Set(pe.map((r) => r.variant))];
  /** Learner-vs-learner cooperation of one evaluation: the mean of A's and B's. */
  const pairCoop = (e: Record<string, number>): number => (e.pairCoopA! + e.pairCoopB!) / 2;
  out.push('', `### Model-based learners from a defecting start (GRU ${pe[0].hidden}; bootstrap ${pe[0].bootstrapEpisodes} episodes of P(C) = 0.15, then ${pe[0].iterations} iterations × ${pe[0].episodes} episodes; greedy evaluation after each iteration, ${pe[0].evalEpisodes} episodes)`, '');
  out.push('| variant | seeds | L-vs-L coop after bootstrap (A / B) | after last iteration (A / B) | late, last iteration (A / B) | A vs tit-for-tat late | A vs always-defect late | goal | met |', '|---|---|---|---|---|---|---|---|---|');
  for (const v of variants) {
    const rs = pe.filter((r) => r.variant === v);
    const first = rs.map((r) => r.history[0].eval);
    const last = rs.map((r) => r.history[r.history.length - 1].eval);
    const f = (xs: Record<string, number>[], k: string): string => ci(xs.map((x) => x[k]!));
    const startMean = mean(first.map(pairCoop));
    const endMean = mean(last.map(pairCoop));
    const goal = v === 'mixed' ? 'start ≤ 0.2 → ≥ 0.8' : 'stay ≤ 0.2';
    const met = v === 'mixed' ? startMean <= 0.2 && endMean >= 0.8 : endMean <= 0.2;
    out.push(`| ${v} | ${rs.length} | ${f(first, 'pairCoopA')} / ${f(first, 'pairCoopB')} | ${f(last, 'pairCoopA')} / ${f(last, 'pairCoopB')} | ${f(last, 'pairLateA')} / ${f(last, 'pairLateB')} | ${f(last, 'tftA')} | ${f(last, 'alldA')} | ${goal} | ${met ? 'yes' : '**no**'} |`);
  }
  const its = pe[0].history.map((h: { iteration: number }) => h.iteration);
  out.push('', 'Learner-vs-learner cooperation (mean of A and B, mean over seeds) by iteration:', '');
  out.push(`| variant | ${its.map((i: number) => `it ${i}`).join(' | ')} |`, `|---|${its.map(() => '---').join('|')}|`);
  for (const v of variants) {
    const rs = pe.filter((r) => r.variant === v);
    out.push(`| ${v} | ${its.map((_: number, k: number) => mean(rs.map((r) => pairCoop(r.history[k].eval))).toFixed(2)).join(' | ')} |`);
  }
  // stability, judged on the last K iterations (criterion fixed before the 30-iteration runs):
  // mixed: every iteration's mean over seeds ≥ 0.8 and every seed's mean over them ≥ 0.8; ablations: ≤ 0.2 likewise
  const K = Math.min(Number(args['stable-last'] ?? 5), its.length);
  const lastIdx = its.map((_: number, k: number) => k).slice(-K);
  out.push('', `Stability over the last ${K} iterations (${its.slice(-K).join(', ')}): lowest mean over seeds in any of them; each seed's mean over them.`, '');
  out.push('| variant | lowest iteration mean | per seed: mean over the last iterations | goal | met |', '|---|---|---|---|---|');
  for (const v of variants) {
    const rs = pe.filter((r) => r.variant === v);
    const itMeans = lastIdx.map((k: number) => mean(rs.map((r) => pairCoop(r.history[k].eval))));
    const seedMeans = rs.map((r) => mean(lastIdx.map((k: number) => pairCoop(r.history[k].eval))));
    const mixed = v === 'mixed';
    const lo = Math.min(...itMeans);
    const hi = Math.max(...itMeans, ...seedMeans);
    const met = mixed ? lo >= 0.8 && Math.min(...seedMeans) >= 0.8 : hi <= 0.2;
    out.push(`| ${v} | ${lo.toFixed(2)} | ${rs.map((r, i) => `${r.seed}: ${seedMeans[i]!.toFixed(2)}`).join(', ')} | ${mixed ? 'every one ≥ 0.8' : 'every one ≤ 0.2'} | ${met ? 'yes' : '**no**'} |`);
  }
  out.push('', `PERF planner emergence runs: ${variants.map((v) => `${v} ${ci(pe.filter((r) => r.variant === v).map((r) => r.seconds))} s (${ci(pe.filter((r) => r.variant === v).map((r) => r.agentSteps / r.seconds))} agent-steps/s)`).join(', ')}.`);
}

const st = read(dir, /^stages-seed-.*\.json$/);
if (st.length) {
  out.push('', `### Stages 2 and 3 (${st.length} seeds, ${st[0].updates} updates each)`, '');
  out.push('| seed | A vs copy of A: coop | stage 2: B vs frozen A coop B / A | reward B / A | stage 3: A vs B coop | reward A / B | stage-3 coop first → last update |', '|---|---|---|---|---|---|---|');
  for (const r of st) {
    out.push(`| ${r.seed} | ${r.stage1SelfPair.coopA.toFixed(2)} | ${r.stage2BvsFrozenA.coopA.toFixed(2)} / ${r.stage2BvsFrozenA.coopB.toFixed(2)} | ${r.stage2BvsFrozenA.rewardA.toFixed(2)} / ${r.stage2BvsFrozenA.rewardB.toFixed(2)} | ${r.stage3Pair.coopA.toFixed(2)} / ${r.stage3Pair.coopB.toFixed(2)} | ${r.stage3Pair.rewardA.toFixed(2)} / ${r.stage3Pair.rewardB.toFixed(2)} | ${r.stage3Curve[0].coop.toFixed(2)} → ${r.stage3Curve[r.stage3Curve.length - 1].coop.toFixed(2)} |`);
  }
  out.push('', `PERF stage 2: ${ci(st.map((r) => r.stage2Seconds))} s, ${ci(st.map((r) => r.stage2AgentSteps / r.stage2Seconds))} agent-steps/s; stage 3: ${ci(st.map((r) => r.stage3Seconds))} s, ${ci(st.map((r) => r.stage3AgentSteps / r.stage3Seconds))} agent-steps/s.`);
}

const em = read(emDir, /^emergence-.*\.json$/);
if (em.length) {
  const variants = [...new Set(em.map((r) => r.variant))];
  out.push('', `### Cooperation between learners from a defecting start (initial P(C) = ${em[0].initCoop}; ${em[0].updates} updates × ${em[0].episodes} episodes)`, '');
  out.push('| variant | seeds | L-vs-L coop, first update | last update | evaluated pair coop A / B | vs tit-for-tat late | vs always-defect late | goal |', '|---|---|---|---|---|---|---|---|');
  for (const v of variants) {
    const rs = em.filter((r) => r.variant === v);
    const goal = v === 'mixed' ? 'start ≤ 0.2 → ≥ 0.8' : 'stay ≤ 0.2';
    const vs = (name: string): string => ci(rs.map((r) => r.vsPool.find((s: { style: string }) => s.style === name).lateCoop));
    out.push(`| ${v} | ${rs.length} | ${ci(rs.map((r) => r.startCoop))} | ${ci(rs.map((r) => r.endCoop))} | ${ci(rs.map((r) => r.pair.coopA))} / ${ci(rs.map((r) => r.pair.coopB))} | ${vs('tit-for-tat')} | ${vs('always-defect')} | ${goal} |`);
  }
  out.push('', `PERF emergence runs: ${variants.map((v) => `${v} ${ci(em.filter((r) => r.variant === v).map((r) => r.seconds))} s`).join(', ')}.`);
}

const pr = read(dir, /^probe-.*\.json$/);
if (pr.length) {
  out.push('', `### Probes of co-player style (${pr.length} checkpoints, ${pr[0].styles.length} styles, chance ${(1 / pr[0].styles.length).toFixed(2)}, ${pr[0].perStyle} episodes per style, even/odd episode split)`, '');
  out.push('| round | trained GRU | random-init GRU | counts of outcomes | margin (trained − best baseline) |', '|---|---|---|---|---|');
  for (const [k, r0] of pr[0].results.entries()) {
    const col = (key: string): string => ci(pr.map((p) => p.results[k][key]));
    out.push(`| ${r0.round} | ${col('trained')} | ${col('random')} | ${col('counts')} | ${col('margin')} |`);
  }
}
console.log(out.join('\n'));
