// Builds the commander program and runs it. Commands live one per file in commands/ and
// are listed in commands/index.ts; each gets a CliContext through `action()`.
import { Command, Option } from 'commander';
import { commands } from './commands/index.js';
import { makeContext, type CliContext, type CliIo, type GlobalOptions } from './context.js';
import { reportError, EXIT } from './exitCodes.js';

export type CommandAction = (ctx: CliContext, ...args: never[]) => Promise<void> | void;

/** Wraps a command body: resolves the context from global + command options. */
export type ActionFactory = <F extends CommandAction>(fn: F) => (...args: unknown[]) => Promise<void>;

export interface CommandModule {
  register(program: Command, action: ActionFactory): void;
}

export async function runCli(argv: string[], io: CliIo = process, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const program = new Command('thoughtlens')
    .description(
      'Look inside paired agents: record hidden states to Arrow, train a cross-agent sparse ' +
        'dictionary, flag representational alignment conflicts before they show in behaviour.',
    )
    .version(await packageVersion(), '-V, --version')
    .addOption(new Option('-w, --workspace <dir>', 'workspace folder (default: $THOUGHTLENS_WORKSPACE or ./thoughtlens-workspace)'))
    .option('--json', 'machine-readable JSON on stdout')
    .option('-q, --quiet', 'no progress bars')
    .showHelpAfterError('(add --help for usage)')
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    })
    .exitOverride();

  let ctx: CliContext | null = null;
  const action: ActionFactory = (fn) => async (...args: unknown[]) => {
    const cmd = args[args.length - 1] as Command;
    const opts = cmd.optsWithGlobals() as GlobalOptions;
    ctx = makeContext(io, opts, env);
    await fn(ctx, ...(args as never[]));
  };
  for (const c of commands) c.register(program, action);
  program.commands.forEach((c) => c.exitOverride().configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) }));

  try {
    await program.parseAsync(argv, { from: 'user' });
    return EXIT.ok;
  } catch (err) {
    const json = ctx ? (ctx as CliContext).json : argv.includes('--json');
    return reportError(io, err, json);
  }
}

async function packageVersion(): Promise<string> {
  const { readFile } = await import('node:fs/promises');
  // Source runs from cli/, the build from dist/cli/: the package file is one or two levels up.
  for (const rel of ['../package.json', '../../package.json']) {
    try {
      const pkg = JSON.parse(await readFile(new URL(rel, import.meta.url), 'utf8')) as { name?: string; version: string };
      if (pkg.name === 'thoughtlens') return pkg.version;
    } catch {
      // try the next candidate
    }
  }
  return 'unknown';
}
