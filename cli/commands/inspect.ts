import { openRun, resolveRunRef, type StreamScan } from '../../data/index.js';
import { emit } from '../context.js';
import { formatBytes, table } from '../format.js';
import type { CommandModule } from '../program.js';

export const inspectCommand: CommandModule = {
  register(program, action) {
    program
      .command('inspect')
      .argument('<run>', 'run id in the workspace, or path to a run folder')
      .description('summary of a run: status, agents, schema, row counts on disk, torn tails, ground truth')
      .action(
        action((ctx, ref: string) => {
          const run = openRun(resolveRunRef(ctx.workspace, ref));
          const m = run.manifest;
          const scans = run.scan();
          const schemas = Object.fromEntries(
            m.agents.map((a) => {
              const r = run.openAgent(a.id, { skipHiddenCheck: true });
              const s = r.schema;
              r.close();
              return [a.id, s ? s.fields.map((f) => ({ name: f.name, type: String(f.type) })) : null];
            }),
          );
          // Every row is read once: a repeated (episode, step) anywhere in a stream, or a
          // NaN/Inf hidden state, is a bad-data error (exit 4) naming the agent and row.
          for (const a of m.agents) {
            const r = run.openAgent(a.id, { reuseBuffer: true });
            try {
              for (const b of r.batches()) void b;
            } finally {
              r.close();
            }
          }
          const status = run.effectiveStatus();
          const mismatches = scans.filter((s) => (m.counts[s.agent]?.rows ?? 0) > s.rows);
          const summary = {
            id: m.id,
            dir: run.dir,
            status,
            manifestStatus: m.status,
            formatVersion: m.version,
            createdAt: m.createdAt,
            updatedAt: m.updatedAt,
            source: m.source,
            agents: m.agents.map((a) => ({ ...a, disk: scanSummary(scans.find((s) => s.agent === a.id)!), schema: schemas[a.id] })),
            truth: m.truth ?? [],
            notes: m.notes ?? [],
            truncated: scans.some((s) => s.truncation !== null),
            manifestAhead: mismatches.map((s) => s.agent),
          };
          emit(ctx, summary, () => {
            const lines = [
              `run ${m.id}  (${run.dir})`,
              `status     ${status}${status === 'stale' ? ' (recorder process is gone; every flushed batch is readable)' : ''}`,
              `format     ${m.format} v${m.version}`,
              `source     ${m.source.kind}${m.source.params ? ' ' + JSON.stringify(m.source.params).slice(0, 120) : ''}`,
              `created    ${m.createdAt}   updated ${m.updatedAt}`,
              '',
              table(
                ['agent', 'd', 'rows', 'batches', 'size', 'end', 'tail'],
                scans.map((s) => [
                  s.agent,
                  run.agent(s.agent).hiddenSize,
                  s.rows,
                  s.batches,
                  formatBytes(s.bytes),
                  s.ended ? 'end-of-stream' : 'open',
                  s.truncation ? `TORN: ${s.truncation.bytesDropped} B dropped (${s.truncation.reason})` : 'ok',
                ]),
              ),
              '',
              ...m.agents.map(
                (a) => `schema ${a.id}: ${(schemas[a.id] ?? []).map((f) => `${f.name}: ${f.type}`).join(', ') || '(no schema yet)'}`,
              ),
            ];
            if (m.truth?.length) lines.push('', `ground truth: ${m.truth.join(', ')}`);
            if (m.notes?.length) lines.push('', ...m.notes.map((n) => `note: ${n}`));
            if (mismatches.length) lines.push('', `warning: manifest counts more rows than on disk for ${mismatches.map((s) => s.agent).join(', ')}`);
            return lines.join('\n');
          });
        }),
      );
  },
};

function scanSummary(s: StreamScan) {
  return { rows: s.rows, batches: s.batches, bytes: s.bytes, ended: s.ended, truncation: s.truncation };
}
