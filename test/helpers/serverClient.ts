// Test helpers for talking to a real listening workbench with fetch.
import { startServer, type RunningServer, type ServerConfig } from '../../server/index.js';

export async function startTestServer(config: Partial<ServerConfig> & { workspace: string }): Promise<RunningServer> {
  return startServer({ host: '127.0.0.1', port: 0, watchMs: 50, ...config });
}

export async function getJson<T = unknown>(url: string, init?: RequestInit): Promise<{ status: number; body: T; headers: Headers }> {
  const res = await fetch(url, init);
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  return { status: res.status, body: body as T, headers: res.headers };
}

/** Reads server-sent events until `until` returns true or the timeout passes. */
export async function collectEvents(url: string, until: (events: { type: string; data: unknown }[]) => boolean, timeoutMs = 5000, init?: RequestInit) {
  const ctrl = new AbortController();
  const events: { type: string; data: unknown }[] = [];
  const timer = setTimeout(() => ctrl.abort(), timeoutMs);
  try {
    const res = await fetch(url, { ...init, signal: ctrl.signal });
    if (!res.ok || !res.body) return { status: res.status, events };
    const reader = res.body.getReader();
    const dec = new TextDecoder();
    let buf = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buf += dec.decode(value, { stream: true });
      let i: number;
      while ((i = buf.indexOf('\n\n')) >= 0) {
        const block = buf.slice(0, i);
        buf = buf.slice(i + 2);
        const type = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (type && data) events.push({ type, data: JSON.parse(data) });
      }
      if (until(events)) break;
    }
    return { status: res.status, events };
  } catch {
    return { status: 0, events };
  } finally {
    clearTimeout(timer);
    ctrl.abort();
  }
}
