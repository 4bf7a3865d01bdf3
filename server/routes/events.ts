// GET /api/events: server-sent events (LiveEvent JSON in `data:`), one event type per
// LiveEvent type: run grew or changed status, new runs, new report, new latent codes.
import type { Router } from 'express';
import type { LiveEvent } from '../protocol.js';
import type { Workbench } from '../workbench.js';

export function eventsRoute(router: Router, wb: Workbench): void {
  router.get('/api/events', (req, res) => {
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.write('retry: 1000\n\n');
    const send = (e: LiveEvent) => res.write(`event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`);
    const off = wb.events.subscribe(send);
    const ping = setInterval(() => send({ type: 'ping', time: Date.now() }), 15_000);
    ping.unref();
    req.on('close', () => {
      clearInterval(ping);
      off();
    });
  });
}
