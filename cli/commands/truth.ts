// `thoughtlens truth attach <run>`: ground truth for a run written by any tool (data/attachTruth.ts),
// so eval-truth and detect can score it.
import { attachTruth, resolveRunRef } from '../../data/index.js';
import { emit } from '../context.js';
import type { CommandModule } from '../program.js';

interface AttachFlags {
  structure: string;
  latents: string;
  conflicts?: string;
  replace?: boolean;
}

export const truthCommand: CommandModule = {
  register(program, action) {
    const truth = program.command('truth').description('ground truth of a run: attach your own generator\'s truth so eval-truth and detect can score against it');
    truth
      .command('attach')
      .argument('<run>', 'run id in the workspace, or a run folder')
      .requiredOption('--structure <file>', 'structure JSON: {"thoughts": [{"id": 0, "agents": ["A", "B"]}, …]}, ids exactly 0..K-1')
      .requiredOption('--latents <file>', 'Arrow IPC stream or file: episode, step, and the K true thought values per step (a FixedSizeList column "thoughts", or K numeric columns)')
      .option('--conflicts <file>', 'conflicts JSON: {"conflicts": [{"episode", "agent", "thoughts", "onsetStep", "divergenceStep"}, …]}')
      .option('--replace', 'replace ground truth the run already has')
      .description(
        'check ground truth against the run and attach it under truth/ (structure.json, latents.arrows, conflicts.json) ' +
          'in the layout the synthetic source writes. Every file is checked first (agents, thought ids, columns, ' +
          '(episode, step) keys, conflict steps); on any error nothing is written and the error names the file and field. ' +
          'Formats: docs/FORMAT.md, "Attaching ground truth".',
      )
      .addHelpText(
        'after',
        '\nExamples:\n' +
          '  thoughtlens truth attach my-run --structure structure.json --latents latents.arrows\n' +
          '  thoughtlens truth attach ./runs/ext-1 --structure s.json --latents z.arrow --conflicts conflicts.json --json\n' +
          '  thoughtlens eval-truth <checkpoint> my-run\n',
      )
      .action(
        action((ctx, ref: string, flags: AttachFlags) => {
          const dir = resolveRunRef(ctx.workspace, ref);
          const r = attachTruth(dir, { structure: flags.structure, latents: flags.latents, conflicts: flags.conflicts, replace: flags.replace });
          emit(ctx, r, () =>
            [
              `attached ground truth to ${r.dir}${r.replaced ? ' (replacing the old truth)' : ''}`,
              `  thoughts  ${r.thoughtCount}: ${Object.entries(r.classes).map(([c, n]) => `${c} ${n}`).join(', ')}`,
              `  latents   ${r.latentsRows} of ${r.runSteps} run steps, from ${r.latentsSource}`,
              `  conflicts ${r.conflicts}`,
              `  files     ${r.files.join(', ')}`,
            ].join('\n'),
          );
        }),
      );
  },
};
