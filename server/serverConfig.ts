// Server configuration: what the CLI or a test passes to startServer, validated and frozen.
import { existsSync, realpathSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { ServerConfigError } from './errors.js';

export interface ServerConfig {
  workspace: string;
  /** Bind address (default 127.0.0.1). Anything not loopback requires `token`. */
  host?: string;
  /** Port (default 4173; 0 picks a free one). */
  port?: number;
  /** Access token every request must carry (Authorization: Bearer, ?token= or the cookie set from it). */
  token?: string;
  /** Largest JSON body (bytes, default 1 MiB). */
  jsonLimit?: number;
  /** Largest Arrow ingestion body per request (bytes, default 256 MiB). */
  ingestLimit?: number;
  /** Requests per client per window (default 2000 per 10 s). */
  rateLimit?: { max: number; windowMs: number };
  /**
   * Time to receive a whole request (ms, default 30 s). Not for the steps route, whose
   * chunked POST stays open while a recorder records; the idle timeout covers it.
   */
  requestTimeoutMs?: number;
  /** A connection on which nothing arrives or leaves for this long is closed (ms, default 60 s). */
  idleTimeoutMs?: number;
  /** Time to receive the request headers (ms, default 20 s). */
  headersTimeoutMs?: number;
  /** How often to look for runs, reports and codes that changed on disk (ms, default 200). */
  watchMs?: number;
  /** Folder with the built web app (default: web/dist next to the package). */
  webRoot?: string;
  /** Where server log lines go (default: nowhere). */
  log?: (line: string) => void;
}

export interface ResolvedServerConfig {
  workspace: string;
  host: string;
  port: number;
  token: string | null;
  jsonLimit: number;
  ingestLimit: number;
  rateLimit: { max: number; windowMs: number };
  requestTimeoutMs: number;
  idleTimeoutMs: number;
  headersTimeoutMs: number;
  watchMs: number;
  webRoot: string | null;
  log: (line: string) => void;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

export function isLoopback(host: string): boolean {
  return LOOPBACK.has(host) || /^127\.\d+\.\d+\.\d+$/.test(host);
}

export function resolveServerConfig(c: ServerConfig, defaultWebRoots: string[] = []): Readonly<ResolvedServerConfig> {
  const host = c.host ?? '127.0.0.1';
  const token = c.token ?? null;
  if (!isLoopback(host) && !token) {
    throw new ServerConfigError(
      `refusing to listen on ${host} without an access token: anyone who can reach this address could read your runs. ` +
        `Pass --token <secret> (at least 16 characters), or bind 127.0.0.1`,
    );
  }
  if (token !== null && (token.length < 16 || /\s/.test(token))) {
    throw new ServerConfigError(`the access token must be at least 16 characters with no spaces`);
  }
  const port = c.port ?? 4173;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ServerConfigError(`port must be an integer in 0..65535, got ${port}`);
  const ws = resolve(c.workspace);
  if (existsSync(ws) && !statSync(ws).isDirectory()) throw new ServerConfigError(`workspace ${ws} is not a folder`);
  const webRoot = [c.webRoot, ...defaultWebRoots].find((d) => d !== undefined && existsSync(resolve(d, 'index.html')));
  return Object.freeze({
    workspace: existsSync(ws) ? realpathSync(ws) : ws,
    host,
    port,
    token,
    jsonLimit: c.jsonLimit ?? 1 << 20,
    ingestLimit: c.ingestLimit ?? 256 << 20,
    rateLimit: c.rateLimit ?? { max: 2000, windowMs: 10_000 },
    requestTimeoutMs: positive('requestTimeoutMs', c.requestTimeoutMs ?? 30_000),
    idleTimeoutMs: positive('idleTimeoutMs', c.idleTimeoutMs ?? 60_000),
    headersTimeoutMs: positive('headersTimeoutMs', c.headersTimeoutMs ?? 20_000),
    watchMs: c.watchMs ?? 200,
    webRoot: webRoot ? resolve(webRoot) : null,
    log: c.log ?? (() => undefined),
  });
}

function positive(name: string, v: number): number {
  if (!Number.isFinite(v) || v <= 0) throw new ServerConfigError(`${name} must be a positive number of milliseconds, got ${v}`);
  return v;
}
