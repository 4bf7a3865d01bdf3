import { exportRunParquet, resolveRunRef, UsageError } from '../../data/index.js';
import { emit } from '../context.js';
import type { CommandModule } from '../program.js';

export const exportParquetCommand: CommandModule = {
  register(program, action) {
    program
      .command('export-parquet')
      .argument('<run>', 'run id or folder')
      .requiredOption('--out <dir>', 'folder for <agent>.parquet, one file per agent')
      .option('--agent <ids>', 'comma-separated agents (default: all)')
      .option('--row-group-rows <n>', 'rows per row group (default: about 64 MiB of hidden state)')
      .description(
        'write each agent stream of a run as a Parquet file with the same columns (episode, step, hidden as a fixed-length ' +
          'list of float, behaviour columns), for DuckDB, Polars, Spark and Ray Data (docs/FORMAT.md, "Parquet")',
      )
      .action(
        action((ctx, ref: string, flags: { out: string; agent?: string; rowGroupRows?: string }) => {
          const runDir = resolveRunRef(ctx.workspace, ref);
          const rowGroupRows = flags.rowGroupRows === undefined ? undefined : Number(flags.rowGroupRows);
          if (rowGroupRows !== undefined && !(Number.isInteger(rowGroupRows) && rowGroupRows > 0)) {
            throw new UsageError(`--row-group-rows must be a positive integer, got '${flags.rowGroupRows}'`);
          }
          const res = exportRunParquet(runDir, flags.out, { agents: flags.agent?.split(',').map((s) => s.trim()), rowGroupRows });
          emit(ctx, res, () =>
            [
              ...res.files.map((f) => `${f.path}: ${f.rows} rows, ${f.rowGroups} row groups, ${f.bytes} bytes${f.truncation ? ` (torn tail not exported: ${f.truncation})` : ''}`),
              ...(res.status === 'recording' ? [`run '${res.run}' is still recording: the files hold the rows written so far`] : []),
            ].join('\n'),
          );
        }),
      );
  },
};
