// Reads a conflict report (<run>/reports/<name>/report.json, written by `thoughtlens
// detect`) into the view the web app draws. The reader is lenient about field names so
// reports of neighbouring schema versions still show: flags may name their position as
// row/t or (episode, step); attributions as {latent, weight|value|contribution}.
import { readFileSync } from 'node:fs';
import { FormatError } from '../data/index.js';
import type { FlagView, ReportView } from './protocol.js';

type Json = Record<string, unknown>;

export interface RowLookup {
  rowOf(episode: number, step: number): number;
  /** Episode of each row (for the reference-data ranges). */
  readonly episode?: ArrayLike<number>;
}

export function readReport(file: string, name: string, run: string, rows: RowLookup | null, files: string[]): ReportView {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new FormatError(`report is not valid JSON: ${(err as Error).message}`, { file });
  }
  if (!isObj(json)) throw new FormatError(`report must be a JSON object`, { file });
  const rowFor = (o: Json): number => {
    for (const k of ['row', 't', 'index', 'globalStep']) if (isNum(o[k])) return o[k] as number;
    if (isNum(o.episode) && isNum(o.step) && rows) {
      const r = rows.rowOf(o.episode as number, o.step as number);
      if (r >= 0) return r;
    }
    return isNum(o.step) ? (o.step as number) : NaN;
  };
  const rawFlags = Array.isArray(json.flags) ? json.flags : [];
  const flags: FlagView[] = [];
  for (const f of rawFlags) {
    if (!isObj(f)) continue;
    const row = rowFor(f);
    if (!Number.isFinite(row)) continue;
    flags.push({
      row,
      episode: isNum(f.episode) ? (f.episode as number) : undefined,
      step: isNum(f.step) ? (f.step as number) : undefined,
      score: num(f.score ?? f.value),
      latents: attribution(f.attribution ?? f.latents ?? f.drivers),
      kind: typeof f.kind === 'string' ? f.kind : typeof f.channel === 'string' ? f.channel : undefined,
    });
  }
  const det = (isObj(json.detector) ? json.detector : isObj(json.calibration) ? json.calibration : {}) as Json;
  const threshold = [json.threshold, det.threshold, (json.calibration as Json | undefined)?.threshold].find(isNum) as number | undefined;
  const view: ReportView = {
    name,
    run,
    schemaVersion: (json.schemaVersion ?? json.schema_version ?? json.version) as string | number | undefined,
    kind: typeof json.schema === 'string' ? json.schema : undefined,
    checkpoint: checkpointName(json, det),
    threshold,
    flags,
    metrics: isObj(json.metrics) ? json.metrics : isObj(json.evaluation) ? json.evaluation : undefined,
    ...(isObj(json.precursor) && typeof json.precursor.found === 'boolean' && typeof json.precursor.statement === 'string'
      ? { precursor: { found: json.precursor.found, statement: json.precursor.statement } }
      : {}),
    files,
    createdAt: typeof json.createdAt === 'string' ? json.createdAt : undefined,
  };
  if (Array.isArray(json.series) && rows) {
    // thoughtlens.conflict-report: per-episode series of (step, score)
    const pts: { row: number; score: number }[] = [];
    for (const ser of json.series) {
      if (!isObj(ser) || !isNum(ser.episode) || !Array.isArray(ser.step) || !Array.isArray(ser.score)) continue;
      ser.step.forEach((st, i) => {
        const r = isNum(st) ? rows.rowOf(ser.episode as number, st as number) : -1;
        const sc = (ser.score as unknown[])[i];
        if (r >= 0 && isNum(sc)) pts.push({ row: r, score: sc as number });
      });
    }
    pts.sort((a, b) => a.row - b.row);
    view.scores = { row: pts.map((p) => p.row), score: pts.map((p) => p.score) };
  }
  const scored = isObj(json.scored) ? json.scored : null;
  if (scored && isNum(scored.episodes)) view.scoredEpisodes = scored.episodes as number;
  if (Array.isArray(json.series)) view.seriesEpisodes = json.series.length;
  // Reference data: episodes the detector was fitted or calibrated on are not scored.
  const refEpisodes = new Set<number>();
  for (const k of ['fitEpisodes', 'calibrationEpisodes']) if (Array.isArray(det[k])) for (const e of det[k] as unknown[]) if (isNum(e)) refEpisodes.add(e as number);
  if (refEpisodes.size && rows?.episode) {
    const ranges: { from: number; to: number }[] = [];
    const ep = rows.episode;
    for (let r = 0; r < ep.length; r++) {
      if (!refEpisodes.has(ep[r]!)) continue;
      const last = ranges[ranges.length - 1];
      if (last && last.to === r) last.to = r + 1;
      else ranges.push({ from: r, to: r + 1 });
    }
    view.reference = ranges;
  }
  const scores = view.scores ? undefined : json.scores ?? (isObj(json.timeline) ? (json.timeline as Json).scores ?? (json.timeline as Json).score : undefined);
  if (Array.isArray(scores)) {
    const pts = scores
      .map((s, i) => (isNum(s) ? { row: i, score: s as number } : isObj(s) ? { row: rowFor(s), score: num(s.score ?? s.value) } : null))
      .filter((s): s is { row: number; score: number } => s !== null && Number.isFinite(s.row))
      .sort((a, b) => a.row - b.row);
    view.scores = { row: pts.map((p) => p.row), score: pts.map((p) => p.score) };
  }
  const events = isObj(json.events) && Array.isArray(json.events.list) ? json.events.list : (json.events ?? json.behaviourEvents ?? json.behavioralEvents);
  if (Array.isArray(events)) {
    view.events = events
      .map((e) => (isNum(e) ? { row: e as number } : isObj(e) ? { row: rowFor(e), kind: typeof e.kind === 'string' ? e.kind : undefined } : null))
      .filter((e): e is { row: number; kind?: string } => e !== null && Number.isFinite(e.row));
  }
  return view;
}

function attribution(a: unknown): FlagView['latents'] {
  const list = Array.isArray(a) ? a : isObj(a) && Array.isArray(a.latents) ? a.latents : [];
  const out: FlagView['latents'] = [];
  for (const x of list) {
    if (isNum(x)) out.push({ latent: x as number, weight: 1 });
    else if (isObj(x) && isNum(x.latent ?? x.index ?? x.j)) {
      out.push({
        latent: (x.latent ?? x.index ?? x.j) as number,
        weight: num(x.weight ?? x.contribution ?? x.disagreement ?? x.value ?? x.score),
        agent: typeof x.agent === 'string' ? x.agent : undefined,
      });
    }
  }
  return out.sort((p, q) => Math.abs(q.weight) - Math.abs(p.weight));
}

function checkpointName(json: Json, det: Json): string | undefined {
  const dict = isObj(det.dictionary) ? det.dictionary : isObj(json.dictionary) ? json.dictionary : null;
  const raw = [json.checkpoint, json.sae, dict?.checkpoint, dict?.name, det.checkpoint].find((v) => typeof v === 'string') as string | undefined;
  return raw?.split(/[\\/]/).filter(Boolean).pop();
}

function isObj(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isNum(v: unknown): boolean {
  return typeof v === 'number' && Number.isFinite(v);
}

function num(v: unknown): number {
  return typeof v === 'number' ? v : NaN;
}
