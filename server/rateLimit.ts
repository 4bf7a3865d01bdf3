// A simple fixed-window rate limit per client address.
import type { NextFunction, Request, Response } from 'express';
import { RateLimitError } from './errors.js';

export function rateLimit(opts: { max: number; windowMs: number }) {
  const hits = new Map<string, { start: number; count: number }>();
  return (req: Request, res: Response, next: NextFunction): void => {
    const now = Date.now();
    const key = req.socket.remoteAddress ?? 'unknown';
    let h = hits.get(key);
    if (!h || now - h.start >= opts.windowMs) {
      if (hits.size > 10_000) hits.clear();
      h = { start: now, count: 0 };
      hits.set(key, h);
    }
    if (++h.count > opts.max) {
      const retry = Math.ceil((h.start + opts.windowMs - now) / 1000);
      res.setHeader('Retry-After', String(retry));
      throw new RateLimitError(`too many requests: at most ${opts.max} per ${opts.windowMs / 1000} s; try again in ${retry} s`, retry);
    }
    next();
  };
}
