// POST /api/runs/:id/agents/:agent/steps: an Arrow IPC stream in the request body
// (chunked is fine), appended to the run batch by batch as it arrives. The stream's schema
// must match the agent (episode, step, hidden FixedSizeList<Float32>[d], its columns).
// Each incoming batch is flushed at once so the browser sees it live.
import type { Request, Router } from 'express';
import { Type, type RecordBatch, type Vector } from 'apache-arrow';
import { BadValueError, checkSchema, FormatError, hiddenBlock, ThoughtlensError, type AgentSpec, type BehaviourValue, type RunWriter } from '../../data/index.js';
import { BadRequestError, BusyError, ConflictError, TooLargeError } from '../errors.js';
import { param } from '../httpHelpers.js';
import { ARROW_STREAM_TYPE, OFFSET_HEADER, type AppendResponse } from '../protocol.js';
import { flushSoon, type Workbench } from '../workbench.js';

/** Incoming steps reach the disk (and the browser) within this many ms. */
const FLUSH_MS = 30;
import { WorkspacePaths } from '../workspacePaths.js';
import { streamBatches } from '../streamBatches.js';

async function* limited(req: Request, limit: number): AsyncGenerator<Uint8Array> {
  let n = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    n += chunk.byteLength;
    if (n > limit) throw new TooLargeError(`request body is larger than ${limit} bytes; send the steps in several requests`);
    yield chunk;
  }
}

export function appendStepsRoute(router: Router, wb: Workbench): void {
  router.post('/api/runs/:id/agents/:agent/steps', async (req, res) => {
    const id = WorkspacePaths.checkName('run id', param(req, 'id'));
    const agentId = WorkspacePaths.checkName('agent id', param(req, 'agent'));
    const type = req.headers['content-type'] ?? '';
    if (!type.startsWith(ARROW_STREAM_TYPE) && !type.startsWith('application/octet-stream')) {
      throw new BadRequestError(`steps must be sent as an Arrow IPC stream with Content-Type: ${ARROW_STREAM_TYPE}`);
    }
    const session = wb.ingesting.get(id);
    if (!session) {
      wb.paths.runDir(id); // 404 when the run does not exist at all
      throw new ConflictError(`run '${id}' is not open for ingestion here: it was finished, or was not created through POST /api/runs on this server`);
    }
    const agent = session.writer.manifest.agents.find((a) => a.id === agentId);
    if (!agent) throw new BadRequestError(`run '${id}' has no agent '${agentId}' (agents: ${session.writer.manifest.agents.map((a) => a.id).join(', ')})`);
    if (session.busy.has(agentId)) throw new BusyError(`agent '${agentId}' of run '${id}' is already receiving steps in another request`);
    const held = session.writer.rowsAppended(agentId);
    const offset = offsetOf(req, held);
    if (offset > held) throw new ConflictError(`header ${OFFSET_HEADER}: ${offset} is past the ${held} rows agent '${agentId}' holds; rows ${held}..${offset - 1} never arrived — resend from ${held}`);
    let skip = held - offset;
    let skipped = 0;
    session.busy.add(agentId);
    const announce = () => wb.events.emit({ type: 'run', run: id, rows: minRows(session.writer), status: 'recording' });
    let rows = 0;
    let batches = 0;
    try {
      const where = `POST body for agent '${agentId}'`;
      let checked = false;
      const state = { schema: false };
      const it = streamBatches(limited(req, wb.config.ingestLimit), where, state);
      for (;;) {
        let next: IteratorResult<RecordBatch>;
        try {
          next = await it.next();
        } catch (err) {
          if (err instanceof TooLargeError || (err instanceof ThoughtlensError && err.code !== 'TL_FORMAT')) throw err;
          const why = (err as Error).message;
          throw new FormatError(state.schema ? `cannot read the Arrow stream after ${rows} rows: ${why}` : `request body is not an Arrow IPC stream: ${why}`);
        }
        if (next.done) break;
        const batch = next.value;
        if (!checked) {
          checkSchema(batch.schema, agent, where);
          checked = true;
        }
        if (batch.numRows === 0) continue;
        // A resend: the first `skip` rows are stored already.
        const drop = Math.min(skip, batch.numRows);
        skip -= drop;
        skipped += drop;
        if (drop === batch.numRows) continue;
        session.writer.append(agentId, stepRowsOf(batch, agent, where, drop));
        rows += batch.numRows - drop;
        batches++;
        flushSoon(session, FLUSH_MS, announce);
      }
    } finally {
      session.busy.delete(agentId);
      if (session.writer.status === 'recording') {
        session.lastFlush = 0;
        flushSoon(session, FLUSH_MS, announce);
      }
    }
    const body: AppendResponse = { run: id, agent: agentId, rows, skipped, batches, totalRows: session.writer.rowsAppended(agentId) };
    res.json(body);
  });
}

/** The request's row offset (OFFSET_HEADER); without the header, the steps go at the end. */
function offsetOf(req: Request, held: number): number {
  const raw = req.headers[OFFSET_HEADER];
  if (raw === undefined) return held;
  const text = Array.isArray(raw) ? raw.join(',') : raw;
  if (!/^\d{1,15}$/.test(text.trim())) throw new BadRequestError(`header ${OFFSET_HEADER} must be a row number (a non-negative integer), got '${text.slice(0, 40)}'`);
  return Number(text.trim());
}

export function minRows(w: RunWriter): number {
  const c = Object.values(w.manifest.counts);
  return c.length ? Math.min(...c.map((x) => x.rows)) : 0;
}

function ints(vec: Vector | null, name: string, where: string): Int32Array {
  if (!vec) throw new FormatError(`missing column '${name}'`, { file: where, column: name });
  const data = vec.data[0]!;
  if (data.nullCount > 0) throw new BadValueError(`join key has nulls`, { file: where, column: name });
  const v = data.values as ArrayLike<number | bigint>;
  if (v instanceof Int32Array) return v.subarray(data.offset, data.offset + data.length);
  return Int32Array.from({ length: data.length }, (_, i) => Number(v[data.offset + i]!));
}

/** The batch's rows from row `from` on, zero-copy where the column allows it. */
function stepRowsOf(batch: RecordBatch, agent: AgentSpec, where: string, from: number) {
  const hiddenVec = batch.getChild('hidden')!;
  const data = hiddenVec.data[0]!;
  if (data.nullCount > 0) throw new BadValueError(`hidden state is null`, { file: where, column: 'hidden' });
  const hidden = hiddenBlock(data, agent.hiddenSize, { file: where, rowOffset: 0 }, from);
  const columns: Record<string, ArrayLike<BehaviourValue>> = {};
  for (const c of agent.columns) {
    const vec = batch.getChild(c.name)!;
    const cd = vec.data[0]!;
    if ((vec.type.typeId === Type.Int || vec.type.typeId === Type.Float) && cd.nullCount === 0 && !(cd.values instanceof BigInt64Array)) {
      columns[c.name] = (cd.values as Float64Array).subarray(cd.offset + from, cd.offset + cd.length);
    } else {
      columns[c.name] = Array.from({ length: batch.numRows - from }, (_, i) => {
        const v = vec.get(i + from) as unknown;
        return typeof v === 'bigint' ? Number(v) : (v as BehaviourValue);
      });
    }
  }
  const episode = ints(batch.getChild('episode'), 'episode', where).subarray(from);
  const step = ints(batch.getChild('step'), 'step', where).subarray(from);
  return { episode, step, hidden, columns };
}
