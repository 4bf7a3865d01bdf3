// The view state lives in the URL hash (#/run/<id>?from=…&to=…&latent=…,
// #/conditions?experiment=<name>&latent=<n>), so a view can be
// shared and reloaded. #/runs/<id>/latents/<n> is a latent's own address: the run view with
// that latent's panel open (the server redirects /runs/<id>/latents/<n> there). Views read it with `readState()` and change it with `setState()`,
// which replaces the history entry (no history spam while brushing).

export interface ViewState {
  view: 'runs' | 'run' | 'compare' | 'network' | 'conditions';
  run?: string;
  params: Record<string, string>;
}

export function readState(hash = location.hash): ViewState {
  const [path = '', query = ''] = hash.replace(/^#/, '').split('?');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  const params = Object.fromEntries(new URLSearchParams(query));
  if (parts[0] === 'run' && parts[1]) return { view: 'run', run: parts[1], params };
  if (parts[0] === 'runs' && parts[1] && parts[2] === 'latents' && /^\d+$/.test(parts[3] ?? '')) return { view: 'run', run: parts[1], params: { ...params, latent: parts[3]! } };
  if (parts[0] === 'network' && parts[1]) return { view: 'network', run: parts[1], params };
  if (parts[0] === 'compare') return { view: 'compare', params };
  if (parts[0] === 'conditions') return { view: 'conditions', params };
  return { view: 'runs', params };
}

export function stateToHash(s: ViewState): string {
  const q = new URLSearchParams(Object.entries(s.params).filter(([, v]) => v !== '' && v !== undefined)).toString();
  const path = s.view === 'run' || s.view === 'network' ? `/${s.view}/${encodeURIComponent(s.run ?? '')}` : s.view === 'compare' || s.view === 'conditions' ? `/${s.view}` : '/';
  return `#${path}${q ? `?${q}` : ''}`;
}

/** Merges params into the current state and writes it to the URL without a navigation. */
export function setParams(patch: Record<string, string | number | undefined | null>): void {
  const s = readState();
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined || v === null || v === '') delete s.params[k];
    else s.params[k] = String(v);
  }
  history.replaceState(null, '', `${location.pathname}${location.search}${stateToHash(s)}`);
}

export function navigate(s: ViewState): void {
  location.hash = stateToHash(s);
}
