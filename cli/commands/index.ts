// Every CLI command, one module each. Add new commands here.
import type { CommandModule } from '../program.js';
import { inspectCommand } from './inspect.js';
import { runsCommand } from './runs.js';
import { trainCommand } from './train.js';
import { splitCommand } from './split.js';
import { evalTruthCommand } from './evalTruth.js';
import { encodeCommand } from './encode.js';
import { exportSaelensCommand } from './exportSaelens.js';
import { exportParquetCommand } from './exportParquet.js';
import { importSaeCommand } from './importSae.js';
import { recordCommand } from './record.js';
import { detectCommand } from './detect.js';
import { agentsCommand } from './agents.js';
import { serveCommand } from './serve.js';
import { demoCommand } from './demo.js';
import { checkpointCommand } from './checkpoint.js';
import { compareCommand } from './compare.js';
import { truthCommand } from './truth.js';
import { experimentCommand } from './experiment.js';

export const commands: CommandModule[] = [recordCommand, runsCommand, inspectCommand, trainCommand, splitCommand, evalTruthCommand, truthCommand, encodeCommand, exportSaelensCommand, importSaeCommand, exportParquetCommand, checkpointCommand, compareCommand, detectCommand, serveCommand, demoCommand, agentsCommand, experimentCommand];
