// A run's agent streams as Parquet files, one per agent (`<out>/<agent>.parquet`) with the
// same columns: episode, step (int32), hidden (LIST<float>, fixed length d; the Arrow schema
// in the footer marks it FixedSizeList), then the behaviour columns. For engines that read
// Parquet but not Arrow IPC streams (Ray Data, Spark, DuckDB's fastest path). Each file is
// written under a temporary name and renamed into place when complete.
import { mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Table, tableToIPC } from 'apache-arrow';
import type { ColumnValues } from './join.js';
import { behaviourColumns } from './join.js';
import type { AgentSpec } from './manifest.js';
import { ParquetFileWriter, type ParquetColumn, type ParquetValues } from './parquetWriter.js';
import { openRun } from './runReader.js';
import { schemaForAgent } from './schema.js';

export interface ParquetExportOptions {
  /** Rows per row group (default: about 64 MiB of hidden state, at most 1 048 576 rows). */
  rowGroupRows?: number;
  /** Only these agents (default: all). */
  agents?: string[];
}

export interface ParquetExportFile {
  agent: string;
  path: string;
  rows: number;
  rowGroups: number;
  bytes: number;
  /** Why the stream's tail was not exported (a torn tail of a killed recording), or null. */
  truncation: string | null;
}

export interface ParquetExport {
  run: string;
  dir: string;
  status: string;
  files: ParquetExportFile[];
}

export function defaultRowGroupRows(d: number): number {
  return Math.max(1, Math.min(1 << 20, Math.floor((64 << 20) / (4 * d))));
}

/** The IPC-serialised Arrow schema, base64, as pyarrow stores it under `ARROW:schema`. */
export function arrowSchemaMetadata(agent: AgentSpec): string {
  const bytes = tableToIPC(new Table(schemaForAgent(agent)), 'stream');
  return Buffer.from(bytes.subarray(0, bytes.length - 8)).toString('base64'); // without the end-of-stream marker
}

export function exportRunParquet(runDir: string, outDir: string, o: ParquetExportOptions = {}): ParquetExport {
  const run = openRun(runDir);
  const dir = resolve(outDir);
  mkdirSync(dir, { recursive: true });
  const agents = o.agents ? o.agents.map((id) => run.agent(id)) : run.manifest.agents;
  const files = agents.map((agent) => exportAgent(run, agent, dir, o.rowGroupRows ?? defaultRowGroupRows(agent.hiddenSize)));
  return { run: run.manifest.id, dir, status: run.effectiveStatus(), files };
}

function exportAgent(run: ReturnType<typeof openRun>, agent: AgentSpec, dir: string, groupRows: number): ParquetExportFile {
  const d = agent.hiddenSize;
  const columns: ParquetColumn[] = [
    { name: 'episode', kind: 'int32', nullable: false },
    { name: 'step', kind: 'int32', nullable: false },
    { name: 'hidden', kind: 'float32list', size: d },
    ...agent.columns.map((c) => ({ name: c.name, kind: c.type, nullable: true })),
  ];
  const path = join(dir, `${agent.id}.parquet`);
  const tmp = `${path}.tmp-${process.pid}`;
  const writer = new ParquetFileWriter(tmp, columns, { keyValueMetadata: { 'ARROW:schema': arrowSchemaMetadata(agent), 'thoughtlens.agent': agent.id } });
  const episode = new Int32Array(groupRows);
  const step = new Int32Array(groupRows);
  const hidden = new Float32Array(groupRows * d);
  let behaviour: Record<string, unknown[]> = {};
  let fill = 0;
  let groups = 0;
  const flush = (): void => {
    if (!fill) return;
    const values: ParquetValues[] = [episode.subarray(0, fill), step.subarray(0, fill), hidden.subarray(0, fill * d)];
    for (const c of agent.columns) values.push((behaviour[c.name] ?? new Array<null>(fill).fill(null)) as ParquetValues);
    writer.writeRowGroup(fill, values);
    groups++;
    fill = 0;
    behaviour = {};
  };
  const reader = run.openAgent(agent.id, { reuseBuffer: true });
  try {
    for (const b of reader.batches()) {
      for (let at = 0; at < b.length; ) {
        const n = Math.min(b.length - at, groupRows - fill);
        episode.set(b.episode.subarray(at, at + n), fill);
        step.set(b.step.subarray(at, at + n), fill);
        hidden.set(b.hidden.subarray(at * d, (at + n) * d), fill * d);
        const cols = behaviourColumns(b, at, n);
        for (const c of agent.columns) appendValues((behaviour[c.name] ??= new Array<null>(fill).fill(null)), cols[c.name], n);
        fill += n;
        at += n;
        if (fill === groupRows) flush();
      }
    }
    flush();
    const rows = writer.close();
    renameSync(tmp, path);
    const t = reader.truncation;
    return { agent: agent.id, path, rows, rowGroups: groups, bytes: statSync(path).size, truncation: t ? t.reason : null };
  } catch (err) {
    writer.destroy();
    rmSync(tmp, { force: true });
    throw err;
  }
}

function appendValues(into: unknown[], values: ColumnValues | undefined, n: number): void {
  for (let i = 0; i < n; i++) {
    const v = values ? values[i] : null;
    into.push(typeof v === 'bigint' ? Number(v) : (v ?? null));
  }
}
