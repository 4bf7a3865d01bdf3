// Programmatic entry: startServer({workspace, host, port, token}) → {url, close()}. Used
// by `thoughtlens serve`, `thoughtlens demo` and the tests.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { basename } from 'node:path';
import { listRuns } from '../data/index.js';
import { makeApp } from './makeApp.js';
import { prewarm } from './routes/runsList.js';
import { resolveServerConfig, type ServerConfig } from './serverConfig.js';
import { Workbench } from './workbench.js';

export interface RunningServer {
  /** Base URL, e.g. http://127.0.0.1:4173 (without the token). */
  url: string;
  port: number;
  workbench: Workbench;
  close(): Promise<void>;
}

/** Where the built web app is looked for: web/dist of this package (source or dist/ layout). */
export function defaultWebRoots(): string[] {
  const here = fileURLToPath(new URL('.', import.meta.url));
  return [`${here}../web/dist`, `${here}../../web/dist`, `${here}../dist/web`, `${here}../web`].filter((d) => existsSync(d));
}

export async function startServer(config: ServerConfig): Promise<RunningServer> {
  const cfg = resolveServerConfig(config, defaultWebRoots());
  const wb = new Workbench(cfg);
  const app = makeApp(wb);
  // Headers must arrive within headersTimeoutMs; a connection idle for idleTimeoutMs is
  // closed; whole requests other than streamed steps have requestTimeoutMs (requestDeadline.ts).
  const server: Server = createServer({ maxHeaderSize: 16 * 1024, requestTimeout: 0, headersTimeout: cfg.headersTimeoutMs }, app);
  server.headersTimeout = cfg.headersTimeoutMs;
  server.setTimeout(cfg.idleTimeoutMs, (socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(cfg.port, cfg.host, () => resolve());
  });
  const addr = server.address() as AddressInfo;
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  const url = `http://${host === '0.0.0.0' || host === '[::]' ? 'localhost' : host}:${addr.port}`;
  cfg.log(`thoughtlens workbench on ${url} (workspace ${cfg.workspace})`);
  // Read the newest runs into memory in the background: the first view opens from memory.
  const warm = setTimeout(() => {
    try {
      prewarm(wb, listRuns(cfg.workspace).slice(0, 3).map((r) => basename(r.dir)));
    } catch {
      // an unreadable workspace is reported by the routes
    }
  }, 50);
  warm.unref();
  return {
    url,
    port: addr.port,
    workbench: wb,
    close: () =>
      new Promise<void>((resolve) => {
        clearTimeout(warm);
        wb.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
