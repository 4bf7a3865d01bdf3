// One EventSource for the whole app; views subscribe to the LiveEvents they care about.
// With ?static=1 in the page URL there is none: live updates are paused, so a headless
// browser's virtual time can advance and the page reaches its quiescent state
// (body[data-quiescent], see perfHooks.ts) for scripted screenshots.
import type { LiveEvent } from '../../server/protocol.js';
import { eventsUrl } from './api.js';

type Listener = (e: LiveEvent) => void;
const listeners = new Set<Listener>();
let source: EventSource | null = null;

/** True when the page was opened with ?static=1 (no live updates). */
export const isStatic = new URLSearchParams(location.search).get('static') === '1';

export function subscribe(fn: Listener): () => void {
  if (isStatic) {
    const status = document.getElementById('live-status');
    if (status) status.textContent = 'live updates paused (static)';
    return () => undefined;
  }
  listeners.add(fn);
  if (!source) {
    source = new EventSource(eventsUrl());
    const status = document.getElementById('live-status');
    source.onopen = () => {
      status?.classList.add('on');
      if (status) status.textContent = 'live';
    };
    source.onerror = () => {
      status?.classList.remove('on');
      if (status) status.textContent = 'reconnecting…';
    };
    for (const type of ['run', 'runs', 'report', 'codes']) {
      source.addEventListener(type, (m) => {
        const e = JSON.parse((m as MessageEvent<string>).data) as LiveEvent;
        for (const l of listeners) l(e);
      });
    }
  }
  return () => listeners.delete(fn);
}
