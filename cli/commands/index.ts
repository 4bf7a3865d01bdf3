// Every CLI command, one module each. Add new commands here.
import type { CommandModule } from '../program.js';
import { inspectCommand } from './inspect.js';
import { runsCommand } from './runs.js';
import { recordCommand } from './record.js';

export const commands: CommandModule[] = [recordCommand, runsCommand, inspectCommand];
