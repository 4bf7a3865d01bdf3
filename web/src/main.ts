// Entry of the web app: routes the URL hash to a view and keeps one view alive at a time.
import { clear, el } from './dom.js';
import { readState } from './viewState.js';
import { renderRunsList } from './views/runsList.js';
import { renderRunView } from './views/runView.js';
import { renderCompare } from './views/compareView.js';

const app = document.getElementById('app')!;
let dispose: (() => void) | null = null;
let current = '';

async function route(): Promise<void> {
  const s = readState();
  const key = s.view === 'run' ? `run/${s.run}` : s.view;
  if (key === current) return; // parameter changes are handled by the view itself
  current = key;
  dispose?.();
  dispose = null;
  document.querySelectorAll<HTMLAnchorElement>('nav a').forEach((a) => a.classList.toggle('active', a.dataset.nav === (s.view === 'run' ? 'runs' : s.view)));
  try {
    if (s.view === 'run' && s.run) dispose = await renderRunView(app, s.run);
    else if (s.view === 'compare') dispose = await renderCompare(app);
    else dispose = await renderRunsList(app);
  } catch (err) {
    clear(app);
    app.append(el('div', { class: 'error', id: 'view-error' }, (err as Error).message));
  }
}

window.addEventListener('hashchange', () => void route());
void route();
