// The web app's only door to the server: typed fetches of server/protocol.ts shapes. The
// access token (when the server has one) arrives in the page URL as ?token=; the server
// answers that page load with a same-site cookie, and the header is sent as well.
import { tableFromIPC, type Table } from 'apache-arrow';
import type { ApiError, HeatmapHeader } from '../../server/protocol.js';

const ARROW = 'application/vnd.apache.arrow.stream';
const token = new URLSearchParams(location.search).get('token');

export class ApiRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function headers(extra: Record<string, string> = {}): Record<string, string> {
  return token ? { ...extra, Authorization: `Bearer ${token}` } : extra;
}

async function check(res: Response): Promise<Response> {
  if (res.ok) return res;
  let body: ApiError | null = null;
  try {
    body = (await res.json()) as ApiError;
  } catch {
    // not JSON
  }
  throw new ApiRequestError(res.status, body?.error.code ?? 'TL_HTTP', body?.error.message ?? `${res.status} ${res.statusText}`);
}

export async function getJson<T>(path: string): Promise<T> {
  const res = await check(await fetch(path, { headers: headers() }));
  return (await res.json()) as T;
}

export async function getArrow(path: string): Promise<Table> {
  const res = await check(await fetch(path, { headers: headers({ Accept: ARROW }) }));
  return tableFromIPC(new Uint8Array(await res.arrayBuffer()));
}

export async function getHeatmap(path: string, signal?: AbortSignal): Promise<{ header: HeatmapHeader; data: Uint8Array }> {
  const res = await check(await fetch(`${path}&format=u8`, { headers: headers(), signal }));
  const header = JSON.parse(res.headers.get('X-Heatmap') ?? '{}') as HeatmapHeader;
  return { header, data: new Uint8Array(await res.arrayBuffer()) };
}

/** URL of a downloadable file, with the token when the page has one. */
export function fileUrl(path: string): string {
  return token ? `${path}?token=${encodeURIComponent(token)}` : path;
}

export function eventsUrl(): string {
  return token ? `/api/events?token=${encodeURIComponent(token)}` : '/api/events';
}

export const enc = encodeURIComponent;
