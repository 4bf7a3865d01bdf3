// Access token check for every route (API, live events, ingestion, static files) when the
// server has a token. Accepted from `Authorization: Bearer <token>`, `?token=<token>` (for
// EventSource and the first page load) or the `tl_token` cookie the page load sets
// (HttpOnly, SameSite=Strict), compared in constant time.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { AuthError } from './errors.js';

export const TOKEN_COOKIE = 'tl_token';

function digest(s: string): Buffer {
  return createHash('sha256').update(s, 'utf8').digest();
}

/** Constant-time comparison (hashing first makes the lengths equal). */
export function tokenMatches(given: string | undefined, expected: string): boolean {
  if (typeof given !== 'string') return false;
  return timingSafeEqual(digest(given), digest(expected));
}

export function presentedToken(req: Request): { token: string | undefined; via: 'header' | 'query' | 'cookie' | null } {
  const h = req.headers.authorization;
  if (typeof h === 'string' && h.startsWith('Bearer ')) return { token: h.slice(7).trim(), via: 'header' };
  const q = req.query.token;
  if (typeof q === 'string') return { token: q, via: 'query' };
  const cookie = req.headers.cookie;
  if (typeof cookie === 'string') {
    for (const part of cookie.split(';')) {
      const [k, ...v] = part.trim().split('=');
      if (k === TOKEN_COOKIE) return { token: decodeURIComponent(v.join('=')), via: 'cookie' };
    }
  }
  return { token: undefined, via: null };
}

export function authMiddleware(token: string | null) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (token === null) return next();
    const { token: given, via } = presentedToken(req);
    if (!tokenMatches(given, token)) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="thoughtlens"');
      throw new AuthError(
        given === undefined
          ? 'this workbench needs an access token: send "Authorization: Bearer <token>" or open the page with ?token=<token>'
          : 'the access token is wrong',
      );
    }
    // A page opened with ?token= gets a cookie, so its scripts and styles load too.
    if (via === 'query' && req.method === 'GET' && !req.path.startsWith('/api/')) {
      res.cookie(TOKEN_COOKIE, given, { httpOnly: true, sameSite: 'strict', path: '/' });
    }
    next();
  };
}
