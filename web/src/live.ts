// One EventSource for the whole app; views subscribe to the LiveEvents they care about.
import type { LiveEvent } from '../../server/protocol.js';
import { eventsUrl } from './api.js';

type Listener = (e: LiveEvent) => void;
const listeners = new Set<Listener>();
let source: EventSource | null = null;

export function subscribe(fn: Listener): () => void {
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
