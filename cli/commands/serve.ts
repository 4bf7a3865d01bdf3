// `thoughtlens serve`: the workbench (API + web view) for an existing workspace.
import { InvalidArgumentError } from 'commander';
import { UsageError } from '../../data/index.js';
import { startServer, type RunningServer } from '../../server/index.js';
import { emit, type CliContext } from '../context.js';
import type { CommandModule } from '../program.js';

export interface ServeFlags {
  port?: number;
  host?: string;
  token?: string;
  exitAfter?: number;
}

export function intArg(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a non-negative integer');
  return n;
}

/** Starts the server with flags and environment resolved here (the CLI is where env is read). */
export async function startWorkbench(ctx: CliContext, flags: ServeFlags): Promise<RunningServer> {
  const token = flags.token ?? ctx.env.THOUGHTLENS_TOKEN;
  try {
    return await startServer({
      workspace: ctx.workspace,
      host: flags.host ?? '127.0.0.1',
      port: flags.port ?? 4173,
      token,
      log: (line) => {
        if (!ctx.quiet) ctx.stderr.write(`[server] ${line}\n`);
      },
    });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new UsageError(`port ${flags.port ?? 4173} is in use: pick another with --port (0 = any free port)`);
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') throw new UsageError(`cannot listen on host '${flags.host}': no such address on this machine`);
    throw err;
  }
}

/** The URL to open: with ?token= when the server has one. */
export function browserUrl(server: RunningServer, token: string | undefined, hash = ''): string {
  return `${server.url}/${token ? `?token=${encodeURIComponent(token)}` : ''}${hash}`;
}

/** Resolves after `seconds` (if given) or on Ctrl-C / SIGTERM. */
export function waitForStop(seconds: number | undefined): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      if (timer) clearTimeout(timer);
      resolve();
    };
    const timer = seconds !== undefined ? setTimeout(done, seconds * 1000) : null;
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
}

export const serveCommand: CommandModule = {
  register(program, action) {
    program
      .command('serve')
      .description(
        'start the workbench for the workspace: the web view (runs, timeline with latent heatmap and conflict flags, ' +
          'structure, checkpoint comparison, report export) and its JSON/Arrow API, with live updates and HTTP ingestion ' +
          'for external recorders (docs/RECORDING.md). Binds 127.0.0.1; any other --host needs --token.',
      )
      .option('-p, --port <n>', 'port (default 4173; 0 = any free port)', intArg)
      .option('--host <addr>', 'address to bind (default 127.0.0.1; e.g. 0.0.0.0 for the network, which needs --token)')
      .option('--token <secret>', 'access token (≥ 16 characters) every request must carry; or set $THOUGHTLENS_TOKEN')
      .option('--exit-after <seconds>', 'stop after this many seconds (for scripts and tests)', intArg)
      .addHelpText('after', '\nExamples:\n  thoughtlens serve\n  thoughtlens serve --port 8080\n  THOUGHTLENS_TOKEN=$(openssl rand -hex 16) thoughtlens serve --host 0.0.0.0\n')
      .action(
        action(async (ctx: CliContext, flags: ServeFlags) => {
          const server = await startWorkbench(ctx, flags);
          const token = flags.token ?? ctx.env.THOUGHTLENS_TOKEN;
          const url = browserUrl(server, token);
          emit(ctx, { url, workspace: ctx.workspace, auth: Boolean(token) }, () => `thoughtlens workbench: ${url}\nworkspace ${ctx.workspace}\n(Ctrl-C to stop)`);
          await waitForStop(flags.exitAfter);
          await server.close();
        }),
      );
  },
};
