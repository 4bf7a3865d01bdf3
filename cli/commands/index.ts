// Every CLI command, one module each. Add new commands here.
import type { CommandModule } from '../program.js';
import { inspectCommand } from './inspect.js';
import { runsCommand } from './runs.js';

export const commands: CommandModule[] = [runsCommand, inspectCommand];
