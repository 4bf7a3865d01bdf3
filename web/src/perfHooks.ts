// Marks for tests and the render benchmark (Performance API): first render of a run, the
// time of each frame, live growth. Exposed read-only as window.__tl. When a view has drawn
// everything it fetched (heatmap detail and the latent panel included) it sets
// body[data-quiescent=<view>]; with ?static=1 (no live updates) nothing changes after that,
// so a headless capture waits for that attribute and shoots (docs/VIEWS.md).

interface TlHooks {
  firstRenderMs: number | null;
  frames: number[];
  rows: number;
  grewAt: { rows: number; at: number }[];
  domain: [number, number];
  ready: Record<string, boolean>;
  pan: ((dx: number) => void) | null;
}

const hooks: TlHooks = { firstRenderMs: null, frames: [], rows: 0, grewAt: [], domain: [0, 0], ready: {}, pan: null };
(window as unknown as { __tl: TlHooks }).__tl = hooks;

export const perf = {
  firstRender(): void {
    performance.mark('tl-first-render');
    const m = performance.measure('tl-run-first-render', 'tl-run-start', 'tl-first-render');
    hooks.firstRenderMs = m.duration;
    hooks.ready.run = true;
    document.body.setAttribute('data-ready', 'run');
  },
  frame(ms: number, d0: number, d1: number): void {
    hooks.frames.push(ms);
    if (hooks.frames.length > 2000) hooks.frames.splice(0, 1000);
    hooks.domain = [d0, d1];
  },
  grew(rows: number): void {
    hooks.rows = rows;
    hooks.grewAt.push({ rows, at: Date.now() });
  },
  ready(view: string): void {
    hooks.ready[view] = true;
    document.body.setAttribute('data-ready', view);
  },
  /** Nothing of `view` is pending any more: set after the next frame has painted. */
  quiescent(view: string): void {
    requestAnimationFrame(() => requestAnimationFrame(() => document.body.setAttribute('data-quiescent', view)));
  },
  /** A view starts loading: not quiescent. */
  busy(): void {
    document.body.removeAttribute('data-quiescent');
  },
  setPan(fn: (dx: number) => void): void {
    hooks.pan = fn;
  },
};
