// Actions, rewards and events of every agent on one time axis, drawn per pixel column
// (mean action, mean reward, any event) so 100k steps cost one pass over the visible rows.
import { interpolateRdYlBu } from 'd3';

export interface AgentBehaviour {
  id: string;
  action: Float64Array | null;
  reward: Float64Array | null;
  /** 1 where any of the agent's event columns is true. */
  events: Uint8Array | null;
}

export const LANE = 26;

/** 65 colours from the diverging scale: one string per level instead of one per column. */
const ACTION_COLOURS = Array.from({ length: 65 }, (_, i) => interpolateRdYlBu(1 - i / 64));

export function behaviourHeight(agents: AgentBehaviour[]): number {
  return agents.length * LANE * 2 + 4;
}

/** Draws rows [d0, d1) of every agent into width × height pixels. */
export function drawBehaviour(ctx: CanvasRenderingContext2D, width: number, agents: AgentBehaviour[], total: number, d0: number, d1: number, actionRange: [number, number]): void {
  const height = behaviourHeight(agents);
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, width, height);
  const r0 = Math.max(0, Math.floor(d0));
  const r1 = Math.min(total, Math.ceil(d1));
  const k = width / Math.max(1e-9, d1 - d0);
  const cols = Math.max(1, Math.ceil(width));
  const actSum = new Float64Array(cols);
  const rewSum = new Float64Array(cols);
  const cnt = new Float64Array(cols);
  const ev = new Uint8Array(cols);
  const [amin, amax] = actionRange;
  agents.forEach((ag, a) => {
    actSum.fill(0);
    rewSum.fill(0);
    cnt.fill(0);
    ev.fill(0);
    let rmin = Infinity;
    let rmax = -Infinity;
    const act = ag.action;
    const rew = ag.reward;
    const evs = ag.events;
    for (let r = r0; r < r1; r++) {
      const c = Math.min(cols - 1, Math.floor((r - d0) * k));
      if (c < 0) continue;
      cnt[c]!++;
      if (act) actSum[c]! += act[r]!;
      if (rew) {
        const v = rew[r]!;
        rewSum[c]! += v;
        if (v < rmin) rmin = v;
        if (v > rmax) rmax = v;
      }
      if (evs && evs[r]) ev[c] = 1;
    }
    const top = a * LANE * 2;
    // action lane: colour of the mean action per column
    const w = Math.max(1, k);
    for (let c = 0; c < cols; c++) {
      if (!cnt[c]) continue;
      const m = actSum[c]! / cnt[c]!;
      const t = amax > amin ? (m - amin) / (amax - amin) : 0.5;
      ctx.fillStyle = ACTION_COLOURS[Math.max(0, Math.min(64, Math.round(t * 64)))]!;
      ctx.fillRect(c, top + 2, w > 1 && k > 1 ? Math.ceil(w) : 1, LANE - 6);
      if (ev[c]) {
        ctx.fillStyle = '#d7191c';
        ctx.fillRect(c, top + LANE - 4, Math.max(2, Math.ceil(w)), 4);
      }
    }
    // reward lane: mean reward per column as a line
    if (ag.reward && rmax >= rmin) {
      const span = rmax > rmin ? rmax - rmin : 1;
      ctx.strokeStyle = '#2c7bb6';
      ctx.lineWidth = 1;
      ctx.beginPath();
      let started = false;
      for (let c = 0; c < cols; c++) {
        if (!cnt[c]) continue;
        const y = top + LANE * 2 - 3 - ((rewSum[c]! / cnt[c]! - rmin) / span) * (LANE - 6);
        if (!started) ctx.moveTo(c + 0.5, y);
        else ctx.lineTo(c + 0.5, y);
        started = true;
      }
      ctx.stroke();
    }
    // Lane names are in the view's left gutter, never over the data.
  });
}
