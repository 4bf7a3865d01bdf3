import { listRuns } from '../../data/index.js';
import { emit } from '../context.js';
import { formatBytes, table } from '../format.js';
import type { CommandModule } from '../program.js';

export const runsCommand: CommandModule = {
  register(program, action) {
    program
      .command('runs')
      .description('list the runs in the workspace with their agents, sizes and status')
      .action(
        action((ctx) => {
          const runs = listRuns(ctx.workspace, { checkStreams: true });
          emit(ctx, { workspace: ctx.workspace, runs }, () =>
            runs.length === 0
              ? `no runs in ${ctx.workspace} (record one with: thoughtlens record synthetic)`
              : table(
                  ['run', 'status', 'source', 'agents', 'steps', 'size', 'created'],
                  runs.map((r) => [
                    r.id,
                    r.status === 'recording' ? 'recording ●' : r.status,
                    r.source?.kind ?? '-',
                    r.agents.map((a) => `${a.id}(${a.hiddenSize})`).join(' '),
                    r.agents[0]?.rows ?? 0,
                    formatBytes(r.bytes),
                    r.error ? `${r.status}: ${r.error}` : (r.createdAt?.replace('T', ' ').slice(0, 19) ?? ''),
                  ]),
                ),
          );
        }),
      );
  },
};
