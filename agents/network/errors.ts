// Errors of the network source. Messages name the field or the node; the CLI maps each code
// to an exit code in one place (cli/exitCodes.ts).
import { ThoughtlensError } from '../../data/index.js';

/** A network config (graph family, size, task, fault) that cannot be run. */
export class NetworkConfigError extends ThoughtlensError {
  readonly field: string;

  constructor(field: string, message: string) {
    super('TL_CONFIG', `network config: '${field}' ${message}`);
    this.field = field;
  }
}

/** A graph the tasks cannot run on: a self-loop, a duplicate edge, an isolated node, a disconnected graph. */
export class GraphError extends ThoughtlensError {
  constructor(message: string) {
    super('TL_BAD_VALUE', `graph: ${message}`);
  }
}
