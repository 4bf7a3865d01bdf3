// GET /api/runs/:id/behaviour?from=&to=: behaviour columns of both agents on one time
// axis (row = joined step), paged; Arrow IPC when asked (columns `<agent>.<column>`).
import type { Router } from 'express';
import { Bool, Float64, Int32, Table, Utf8, makeVector, tableToIPC, vectorFromArray, type Vector } from 'apache-arrow';
import { FormatError, oneLineReason } from '../../data/index.js';
import { param, rowRange, wantsArrow } from '../httpHelpers.js';
import { ARROW_STREAM_TYPE } from '../protocol.js';
import type { BehaviourResponse } from '../protocol.js';
import type { BehaviourColumns, Cell } from '../behaviourCache.js';
import type { Workbench } from '../workbench.js';

export function behaviourRoute(router: Router, wb: Workbench): void {
  // The last Arrow answer per run: page reloads ask for the same rows again.
  const arrowCache = new WeakMap<BehaviourColumns, { key: string; bytes: Buffer }>();
  router.get('/api/runs/:id/behaviour', (req, res) => {
    const dir = wb.paths.runDir(param(req, 'id'));
    const cols = wb.behaviour.get(dir);
    // A bad batch found while reading (not only its framing): the run is corrupt, not empty.
    if (cols.error) throw new FormatError(`run '${param(req, 'id')}' is corrupt: ${oneLineReason(new Error(cols.error), dir)}`);
    const { from, to } = rowRange(req, cols.length);
    if (wantsArrow(req)) {
      const key = `${from}:${to}:${cols.length}`;
      const hit = arrowCache.get(cols);
      if (hit && hit.key === key) {
        res.setHeader('Content-Type', ARROW_STREAM_TYPE);
        res.end(hit.bytes);
        return;
      }
      const vectors: Record<string, Vector> = {
        episode: vectorFromArray(Int32Array.from(cols.episode.slice(from, to))),
        step: vectorFromArray(Int32Array.from(cols.step.slice(from, to))),
      };
      for (const [agent, byName] of Object.entries(cols.agents)) {
        for (const [name, values] of Object.entries(byName)) vectors[`${agent}.${name}`] = toVector(values.slice(from, to));
      }
      const bytes = Buffer.from(tableToIPC(new Table(vectors), 'stream'));
      arrowCache.set(cols, { key, bytes });
      res.setHeader('Content-Type', ARROW_STREAM_TYPE);
      res.end(bytes);
      return;
    }
    const agents: BehaviourResponse['agents'] = {};
    for (const [agent, byName] of Object.entries(cols.agents)) {
      agents[agent] = Object.fromEntries(Object.entries(byName).map(([k, v]) => [k, v.slice(from, to).map(jsonSafe)]));
    }
    const body: BehaviourResponse = {
      from,
      to,
      total: cols.length,
      episode: cols.episode.slice(from, to),
      step: cols.step.slice(from, to),
      agents,
    };
    res.json(body);
  });
}

function jsonSafe(v: Cell): Cell {
  return typeof v === 'number' && !Number.isFinite(v) ? null : v;
}

function toVector(values: Cell[]): Vector {
  const first = values.find((v) => v !== null);
  if (typeof first === 'boolean') return vectorFromArray(values as (boolean | null)[], new Bool());
  if (typeof first === 'string') return vectorFromArray(values.map((v) => (v === null ? null : String(v))), new Utf8());
  // Numbers: straight into typed arrays (no builders) when there are no nulls.
  let ints = true;
  let nulls = false;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined) nulls = true;
    else if (ints && (!Number.isInteger(v) || (v as number) > 2147483647 || (v as number) < -2147483648)) ints = false;
  }
  if (nulls) return vectorFromArray(values as (number | null)[], ints ? new Int32() : new Float64());
  return makeVector(ints ? Int32Array.from(values as number[]) : Float64Array.from(values as number[]));
}
