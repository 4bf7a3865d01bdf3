// A deadline for receiving a request's body: a client that sends headers and then half a
// body (or trickles it) is disconnected after `ms`, so such connections cannot pile up.
// Streamed steps (POST …/agents/:agent/steps) are exempt: a recorder keeps that chunked
// POST open while it records; the server's idle timeout closes it if it goes silent.
import type { NextFunction, Request, Response } from 'express';

const STREAMED = /^\/api\/runs\/[^/]+\/agents\/[^/]+\/steps$/;

export function requestDeadline(ms: number) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    if (req.complete || (req.method === 'POST' && STREAMED.test(req.path))) return next();
    const timer = setTimeout(() => {
      if (!req.complete) req.socket.destroy();
    }, ms);
    timer.unref();
    const clear = () => clearTimeout(timer);
    req.once('end', clear);
    req.once('close', clear);
    next();
  };
}
