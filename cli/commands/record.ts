// `thoughtlens record <source>`: one subcommand per source of paired agents. A source is a
// module exporting a RecordSource; add it with one import and one entry in `sources`.
import type { Command } from 'commander';
import type { ActionFactory, CommandModule } from '../program.js';
import { recordSyntheticSource } from './recordSynthetic.js';
import { recordIpdSource } from './recordIpd.js';
import { recordIpdDelayedSource } from './recordIpdDelayed.js';
import { recordNetworkSource } from './recordNetwork.js';

/** Adds one `record <source>` subcommand. */
export type RecordSource = (record: Command, action: ActionFactory) => void;

const sources: RecordSource[] = [recordSyntheticSource, recordIpdSource, recordIpdDelayedSource, recordNetworkSource];

export const recordCommand: CommandModule = {
  register(program, action) {
    const record = program
      .command('record')
      .description('record a run of paired agents into the workspace (hidden states, behaviour, and ground truth where known)');
    for (const add of sources) add(record, action);
  },
};
