// Actions, rewards and events of every agent on one time axis, drawn per pixel column
// (mean action, mean reward, any event) so 100k steps cost one pass over the visible rows.
import { interpolateRdYlBu } from 'd3';

export interface AgentBehaviour {
  id: string;
  action: ArrayLike<number> | null;
  reward: ArrayLike<number> | null;
  events: { name: string; values: ArrayLike<unknown> }[];
}

export const LANE = 26;

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
    for (let r = r0; r < r1; r++) {
      const c = Math.min(cols - 1, Math.floor((r - d0) * k));
      if (c < 0) continue;
      cnt[c]!++;
      if (ag.action) actSum[c]! += Number(ag.action[r]);
      if (ag.reward) {
        const v = Number(ag.reward[r]);
        rewSum[c]! += v;
        if (v < rmin) rmin = v;
        if (v > rmax) rmax = v;
      }
      for (const e of ag.events) if (e.values[r] === true || e.values[r] === 1) ev[c] = 1;
    }
    const top = a * LANE * 2;
    // action lane: colour of the mean action per column
    const w = Math.max(1, k);
    for (let c = 0; c < cols; c++) {
      if (!cnt[c]) continue;
      const m = actSum[c]! / cnt[c]!;
      const t = amax > amin ? (m - amin) / (amax - amin) : 0.5;
      ctx.fillStyle = interpolateRdYlBu(1 - t);
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
    ctx.fillStyle = '#1d1d1f';
    ctx.font = '10px system-ui';
    ctx.fillText(`${ag.id} action`, 4, top + 12);
    ctx.fillText(`${ag.id} reward`, 4, top + LANE + 12);
  });
}
