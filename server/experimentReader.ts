// Reads an experiment report (experiments/<name>/report.json, written by `thoughtlens
// experiment`) into the view the conditions page draws. The report is checked field by field:
// a file that is not JSON, or lacks what the page needs, is refused with one line naming the
// field (FormatError → 422), never half drawn. NaN was written as null; it stays null.
import { readFileSync } from 'node:fs';
import { FormatError } from '../data/index.js';
import type { ExperimentView, IntervalView, LatentShiftView } from './protocol.js';

type Json = Record<string, unknown>;

/** The behaviour metrics of experiments/experimentReport.ts, in its order, with its labels. */
export const EXPERIMENT_METRICS: readonly { key: string; label: string }[] = [
  { key: 'fraction', label: 'fraction of optimum' },
  { key: 'bestRate', label: 'best-response rate' },
  { key: 'bestRateAfter', label: 'best-response rate after the history edit' },
  { key: 'defection', label: 'defection rate' },
  { key: 'firstDefection', label: 'first defection (round)' },
];

/** The report as read, before the runs are attached (conditions without `runs`/`defectionByEpisode`). */
export type ExperimentReportView = Omit<ExperimentView, 'conditions'> & { conditions: Omit<ExperimentView['conditions'][number], 'runs' | 'defectionByEpisode'>[] };

const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const numOrNull = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

export function readExperimentReport(file: string, name: string): ExperimentReportView {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new FormatError(`experiment '${name}': report.json is not valid JSON (${(err as Error).message.split('\n')[0]!.slice(0, 120)})`);
  }
  const bad = (field: string, want: string): never => {
    throw new FormatError(`experiment '${name}': report.json field '${field}' must be ${want}`);
  };
  if (!isObj(json)) bad('(top level)', 'an object');
  const r = json as Json;
  if (r.kind === 'games') {
    throw new FormatError(`experiment '${name}' is a reasoning-style experiment (kind 'games'); the conditions view draws context experiments: open its report.html`);
  }
  const str = (o: Json, k: string, where: string): string => (typeof o[k] === 'string' ? (o[k] as string) : bad(`${where}${k}`, 'a string'));
  const arr = (o: Json, k: string, where: string): unknown[] => (Array.isArray(o[k]) ? (o[k] as unknown[]) : bad(`${where}${k}`, 'an array'));
  const obj = (v: unknown, field: string): Json => (isObj(v) ? v : bad(field, 'an object'));
  const interval = (v: unknown, field: string): IntervalView => {
    const o = obj(v, field);
    return { estimate: numOrNull(o.estimate), lo: numOrNull(o.lo), hi: numOrNull(o.hi) };
  };
  const baseline = str(r, 'baseline', '');
  const seeds = arr(r, 'seeds', '').map((s, i) => (typeof s === 'number' ? s : bad(`seeds[${i}]`, 'a number')));
  const conditions = arr(r, 'conditions', '').map((c, i) => {
    const w = `conditions[${i}].`;
    const o = obj(c, `conditions[${i}]`);
    const m = obj(o.metrics, `${w}metrics`);
    const metrics: Record<string, IntervalView> = {};
    for (const { key } of EXPERIMENT_METRICS) if (m[key] !== undefined) metrics[key] = interval(m[key], `${w}metrics.${key}`);
    return {
      condition: str(o, 'condition', w),
      context: typeof o.context === 'string' ? o.context : '',
      prefix: typeof o.prefix === 'string' ? o.prefix : '',
      history: typeof o.history === 'string' ? o.history : '',
      metrics,
      perSeed: (Array.isArray(o.perSeed) ? o.perSeed : []).filter(isObj).map((s) => ({
        seed: numOrNull(s.seed) ?? NaN,
        fraction: numOrNull(s.fraction),
        bestRate: numOrNull(s.bestRate),
        defection: numOrNull(s.defection),
        firstDefection: numOrNull(s.firstDefection),
        adaptRounds: numOrNull(s.adaptRounds),
      })),
      adaptRounds: (Array.isArray(o.adaptRounds) ? o.adaptRounds : []).map(numOrNull),
      curve: (Array.isArray(o.curve) ? o.curve : []).map(numOrNull),
    };
  });
  const names = conditions.map((c) => c.condition);
  if (!names.includes(baseline)) bad('baseline', `one of the report's conditions (${names.join(', ')}), not '${baseline.slice(0, 60)}'`);
  const shifts = arr(r, 'shifts', '').map((s, i) => {
    const o = obj(s, `shifts[${i}]`);
    return { condition: str(o, 'condition', `shifts[${i}].`), metric: str(o, 'metric', `shifts[${i}].`), delta: interval(o.delta, `shifts[${i}].delta`), effectSize: numOrNull(o.effectSize), p: numOrNull(o.p), q: numOrNull(o.q) };
  });
  let representation: ExperimentView['representation'] = null;
  if (r.representation !== null && r.representation !== undefined) {
    const rep = obj(r.representation, 'representation');
    const dict = isObj(rep.dictionary) ? rep.dictionary : {};
    const ranked: LatentShiftView[] = [];
    const conds = arr(rep, 'conditions', 'representation.').map((c, i) => {
      const w = `representation.conditions[${i}].`;
      const o = obj(c, `representation.conditions[${i}]`);
      const condition = str(o, 'condition', w);
      arr(o, 'top', w).forEach((t, j) => {
        const s = obj(t, `${w}top[${j}]`);
        const latent = s.latent;
        if (typeof latent !== 'number' || !Number.isInteger(latent) || latent < 0) bad(`${w}top[${j}].latent`, 'a latent index');
        ranked.push({
          condition,
          latent: latent as number,
          mean: numOrNull(s.mean),
          baseMean: numOrNull(s.baseMean),
          deltaMean: numOrNull(s.deltaMean),
          rate: numOrNull(s.rate),
          baseRate: numOrNull(s.baseRate),
          deltaRate: numOrNull(s.deltaRate),
          d: interval(s.d, `${w}top[${j}].d`),
          p: numOrNull(s.p),
          q: numOrNull(s.q),
        });
      });
      return { condition, sameAgent: o.sameAgent === true, episodes: numOrNull(o.episodes) ?? 0, baseEpisodes: numOrNull(o.baseEpisodes) ?? 0, significant: numOrNull(o.significant) ?? 0 };
    });
    // Ranked by |d| over every condition (a latent not a number last), then by q.
    const mag = (s: LatentShiftView): number => (s.d.estimate === null ? -1 : Math.abs(s.d.estimate));
    ranked.sort((a, b) => mag(b) - mag(a) || (a.q ?? 1) - (b.q ?? 1));
    representation = {
      latents: numOrNull(dict.latents),
      heldOut: typeof rep.heldOut === 'string' ? rep.heldOut : '',
      tests: numOrNull(rep.tests) ?? 0,
      conditions: conds,
      ranked,
    };
  }
  return {
    name: typeof r.name === 'string' ? r.name : name,
    description: typeof r.description === 'string' ? r.description : '',
    baseline,
    seeds,
    command: typeof r.command === 'string' ? r.command : '',
    createdAt: typeof r.createdAt === 'string' ? r.createdAt : '',
    alpha: numOrNull(r.alpha) ?? 0.05,
    metrics: EXPERIMENT_METRICS.filter((m) => conditions.some((c) => c.metrics[m.key])).map((m) => ({ ...m })),
    conditions,
    shifts,
    representation,
  };
}
