// Entry of the web app: routes the URL hash to a view and keeps one view alive at a time.
import { clear, el } from './dom.js';
import { readState } from './viewState.js';
import { renderRunsList } from './views/runsList.js';
import { renderRunView } from './views/runView.js';
import { renderCompare } from './views/compareView.js';
import { renderNetworkView } from './views/networkView.js';
import { renderConditions } from './views/conditionsView.js';

const app = document.getElementById('app')!;
let dispose: (() => void) | null = null;
// Views write their own parameter changes with history.replaceState, which fires no
// hashchange: every hashchange is a navigation (a link, the back button, an edited URL).
async function route(): Promise<void> {
  const s = readState();
  dispose?.();
  dispose = null;
  document.querySelectorAll<HTMLAnchorElement>('nav a').forEach((a) => a.classList.toggle('active', a.dataset.nav === (s.view === 'run' || s.view === 'network' ? 'runs' : s.view)));
  try {
    if (s.view === 'run' && s.run) dispose = await renderRunView(app, s.run);
    else if (s.view === 'network' && s.run) dispose = await renderNetworkView(app, s.run);
    else if (s.view === 'compare') dispose = await renderCompare(app);
    else if (s.view === 'conditions') dispose = await renderConditions(app);
    else dispose = await renderRunsList(app);
  } catch (err) {
    clear(app);
    app.append(el('div', { class: 'error', id: 'view-error' }, (err as Error).message));
  }
}

window.addEventListener('hashchange', () => void route());
void route();
