// GET /api/runs/:id/codes/:name/latents/:latent: one latent's detail: activation
// histogram, top-activating steps with both agents' behaviour around them (diverse: the
// strongest step of each episode first, so ten examples are not ten adjacent steps of one
// episode), decoder norms per agent and the split's evidence (from the checkpoint the codes
// came from), and the flags it drove.
import type { Router } from 'express';
import { BadRequestError } from '../errors.js';
import { intParam, param } from '../httpHelpers.js';
import type { LatentDetail } from '../protocol.js';
import type { Workbench } from '../workbench.js';
import { loadCodes } from './codes.js';
import { loadReports } from './reports.js';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ThoughtlensError } from '../../data/index.js';
import { readRunTruth, type RunTruth } from '../../sae/index.js';
import { refOfPath } from '../checkpointRefs.js';

/** The strongest `n` hits with as many episodes as possible: round k takes each episode's k-th strongest. */
export function diverseTop(hits: { row: number; value: number }[], episodeOf: ArrayLike<number>, n: number): { row: number; value: number }[] {
  const byEp = new Map<number, { row: number; value: number }[]>();
  for (const h of hits) {
    const e = episodeOf[h.row]!;
    let l = byEp.get(e);
    if (!l) byEp.set(e, (l = []));
    l.push(h);
  }
  for (const l of byEp.values()) l.sort((a, b) => b.value - a.value);
  const out: { row: number; value: number }[] = [];
  for (let k = 0; out.length < n && out.length < hits.length; k++) {
    const round = [...byEp.values()].map((l) => l[k]).filter((h): h is { row: number; value: number } => h !== undefined).sort((a, b) => b.value - a.value);
    out.push(...round.slice(0, n - out.length));
  }
  return out;
}

const truthCache = new Map<string, { key: string; truth: RunTruth | null }>();

/** The run's ground truth (truth/ of a synthetic run, or attached), or null; re-read when it changes. */
function truthOf(runDir: string): RunTruth | null {
  const file = join(runDir, 'truth', 'latents.arrows');
  const key = existsSync(file) ? String(statSync(file).mtimeMs) : 'none';
  const hit = truthCache.get(runDir);
  if (hit && hit.key === key) return hit.truth;
  let truth: RunTruth | null = null;
  try {
    truth = key === 'none' ? null : readRunTruth(runDir);
  } catch (err) {
    if (!(err instanceof ThoughtlensError)) throw err;
  }
  if (truthCache.size > 8) truthCache.clear();
  truthCache.set(runDir, { key, truth });
  return truth;
}

/** Thoughts of the run's truth whose value correlates with the latent's activation (|r| ≥ 0.3, as eval-truth counts a match), strongest first. */
function matchedThoughts(runDir: string, c: { rows: number; episode: Int32Array; step: Int32Array }, hits: { row: number; value: number }[]): LatentDetail['matchedThoughts'] {
  const truth = truthOf(runDir);
  if (!truth) return undefined;
  const act = new Float64Array(c.rows);
  for (const h of hits) act[h.row] = h.value;
  const n = truth.n;
  const sx = new Float64Array(n);
  const sxx = new Float64Array(n);
  const sxy = new Float64Array(n);
  let m = 0;
  let sy = 0;
  let syy = 0;
  for (let r = 0; r < c.rows; r++) {
    const t = truth.rowOf.get(c.episode[r]! * 0x100000000 + (c.step[r]! >>> 0));
    if (t === undefined) continue;
    const y = act[r]!;
    m++;
    sy += y;
    syy += y * y;
    for (let k = 0; k < n; k++) {
      const x = truth.values[t * n + k]!;
      sx[k]! += x;
      sxx[k]! += x * x;
      sxy[k]! += x * y;
    }
  }
  if (m < 3) return [];
  const out: { thought: string; correlation: number }[] = [];
  const vy = syy - (sy * sy) / m;
  for (let k = 0; k < n; k++) {
    const vx = sxx[k]! - (sx[k]! * sx[k]!) / m;
    const cov = sxy[k]! - (sx[k]! * sy) / m;
    const r = vx > 0 && vy > 0 ? cov / Math.sqrt(vx * vy) : 0;
    if (Math.abs(r) >= 0.3) out.push({ thought: `thought ${k} (${truth.owners[k]!.join('+')})`, correlation: Math.round(r * 1000) / 1000 });
  }
  return out.sort((a, b) => Math.abs(b.correlation) - Math.abs(a.correlation)).slice(0, 5);
}

/** The per-agent part of a latent's evidence record of split.json, whatever its shape. */
function perAgent(rec: unknown, agent: string, a: number): unknown {
  if (Array.isArray(rec)) return rec[a];
  if (rec && typeof rec === 'object') {
    const o = rec as Record<string, unknown>;
    if (o[agent] !== undefined) return o[agent];
    if (o.agents && typeof o.agents === 'object') return (o.agents as Record<string, unknown>)[agent] ?? (Array.isArray(o.agents) ? o.agents[a] : undefined);
    return o;
  }
  return undefined;
}

export function latentRoute(router: Router, wb: Workbench): void {
  router.get('/api/runs/:id/codes/:name/latents/:latent', (req, res) => {
    const id = param(req, 'id');
    const c = loadCodes(wb, id, param(req, 'name'));
    const raw = param(req, 'latent');
    const j = Number(raw);
    if (!/^\d+$/.test(raw) || j >= c.numLatents) throw new BadRequestError(`latent must be an integer in 0..${c.numLatents - 1}, got '${raw.slice(0, 20)}'`);
    const topN = intParam(req, 'top', 10, 1, 100);
    const hits: { row: number; value: number }[] = [];
    for (let r = 0; r < c.rows; r++) {
      for (let k = c.rowPtr[r]!; k < c.rowPtr[r + 1]!; k++) if (c.indices[k] === j && c.values[k]! !== 0) hits.push({ row: r, value: c.values[k]! });
    }
    const max = hits.reduce((m, h) => Math.max(m, h.value), 0);
    const min = hits.reduce((m, h) => Math.min(m, h.value), max);
    const nb = 30;
    const width = max > min ? (max - min) / nb : 1;
    const histogram = Array.from({ length: nb }, (_, b) => ({ x0: min + b * width, x1: min + (b + 1) * width, count: 0 }));
    for (const h of hits) histogram[Math.min(nb - 1, Math.floor((h.value - min) / width))]!.count++;
    const beh = wb.behaviour.get(wb.paths.runDir(id));
    const top = diverseTop(hits, c.episode, topN);
    const topSteps = top.map((h) => {
      const context: Record<string, Record<string, unknown>> = {};
      for (const [agent, cols] of Object.entries(beh.agents)) {
        context[agent] = Object.fromEntries(
          Object.entries(cols).map(([name, v]) => [name, v.slice(Math.max(0, h.row - 3), h.row + 4)]),
        );
      }
      return { row: h.row, episode: c.episode[h.row]!, step: c.step[h.row]!, value: h.value, context };
    });
    let decoderNorms: Record<string, number> | undefined;
    let splitEvidence: LatentDetail['splitEvidence'];
    let latentEvidence: LatentDetail['latentEvidence'];
    const ref = (c.checkpointPath && refOfPath(wb.paths, c.checkpointPath)) || c.checkpoint;
    if (ref) {
      try {
        const ck = wb.checkpoint(ref);
        if (j < ck.numLatents) {
          decoderNorms = Object.fromEntries(Object.entries(ck.decoderNorms).map(([a, n]) => [a, n[j]!]));
          const ev = ck.evidence;
          splitEvidence = ck.agents.map((agent, a) => ({
            agent,
            values: Object.fromEntries(Object.entries(ev.perAgent).map(([k, mat]) => [k, mat[a]?.[j] ?? null])),
            extra: ev.evidence ? perAgent(ev.evidence[j], agent, a) : undefined,
          }));
          latentEvidence = Object.fromEntries(Object.entries(ev.perLatent).map(([k, v]) => [k, v[j] ?? null]));
        }
      } catch {
        decoderNorms = undefined; // checkpoint not in this workspace, or unreadable
      }
    }
    const flags: LatentDetail['flags'] = [];
    for (const rep of loadReports(wb, id)) {
      for (const f of rep.flags) {
        const a = f.latents.find((l) => l.latent === j);
        if (a) flags.push({ report: rep.name, row: f.row, score: f.score, weight: a.weight });
      }
    }
    const body: LatentDetail = {
      codes: param(req, 'name'),
      latent: j,
      class: c.classes[j] ?? 'unknown',
      activeFraction: c.rows ? hits.length / c.rows : 0,
      max,
      histogram,
      topSteps,
      decoderNorms,
      flags,
      episodes: new Set(hits.map((h) => c.episode[h.row]!)).size,
      matchedThoughts: matchedThoughts(wb.paths.runDir(id), c, hits),
      splitEvidence,
      latentEvidence,
      checkpoint: ref,
    };
    res.json(body);
  });
}
