// GET /api/runs/:id/behaviour?from=&to=: behaviour columns of both agents on one time
// axis (row = joined step), paged; Arrow IPC when asked (columns `<agent>.<column>`).
import type { Router } from 'express';
import { Bool, Float64, Int32, Table, Utf8, vectorFromArray, type Vector } from 'apache-arrow';
import { param, rowRange, sendArrow, wantsArrow } from '../httpHelpers.js';
import type { BehaviourResponse } from '../protocol.js';
import type { Cell } from '../behaviourCache.js';
import type { Workbench } from '../workbench.js';

export function behaviourRoute(router: Router, wb: Workbench): void {
  router.get('/api/runs/:id/behaviour', (req, res) => {
    const cols = wb.behaviour.get(wb.paths.runDir(param(req, 'id')));
    const { from, to } = rowRange(req, cols.length);
    if (wantsArrow(req)) {
      const vectors: Record<string, Vector> = {
        episode: vectorFromArray(Int32Array.from(cols.episode.slice(from, to))),
        step: vectorFromArray(Int32Array.from(cols.step.slice(from, to))),
      };
      for (const [agent, byName] of Object.entries(cols.agents)) {
        for (const [name, values] of Object.entries(byName)) vectors[`${agent}.${name}`] = toVector(values.slice(from, to));
      }
      sendArrow(res, new Table(vectors));
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
  if (values.every((v) => v === null || (typeof v === 'number' && Number.isInteger(v)))) {
    return vectorFromArray(values as (number | null)[], new Int32());
  }
  return vectorFromArray(values as (number | null)[], new Float64());
}

