// Same-origin proof for every state-changing request (POST, PUT, PATCH, DELETE), with or
// without a token: a web page on another site must not be able to create or finish runs
// or push steps through the researcher's browser (CSRF). Browsers mark where a request
// comes from (Origin, Sec-Fetch-Site); recorders and scripts send neither. A request is
// refused when
//  - Sec-Fetch-Site says cross-site or same-site (another origin), or
//  - Origin is present and is not this server's own origin (http://<Host>), or
//  - its body type is not one a cross-site form or "simple" fetch cannot send: JSON
//    (application/json) or an Arrow stream (application/vnd.apache.arrow.stream,
//    application/octet-stream). text/plain, form and multipart bodies are refused (415)
//    even without Origin, so a browser that hides Origin still cannot post.
import type { NextFunction, Request, Response } from 'express';
import { ForbiddenError, MediaTypeError } from './errors.js';
import { ARROW_STREAM_TYPE } from './protocol.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
export const BODY_TYPES = ['application/json', ARROW_STREAM_TYPE, 'application/octet-stream'] as const;

export function sameOrigin() {
  return (req: Request, _res: Response, next: NextFunction): void => {
    if (SAFE_METHODS.has(req.method)) return next();
    const site = header(req, 'sec-fetch-site');
    if (site !== undefined && site !== 'same-origin' && site !== 'none') {
      throw new ForbiddenError(`cross-site request refused (Sec-Fetch-Site: ${site.slice(0, 20)}): only this workbench's own page and non-browser clients may change runs`);
    }
    const origin = header(req, 'origin');
    if (origin !== undefined && origin !== `http://${req.headers.host}` && origin !== `https://${req.headers.host}`) {
      throw new ForbiddenError(`request from another origin refused (Origin: ${origin.slice(0, 80)}): only this workbench's own page and non-browser clients may change runs`);
    }
    const type = (header(req, 'content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    if (!(BODY_TYPES as readonly string[]).includes(type)) {
      throw new MediaTypeError(
        `${req.method} requests must send Content-Type: application/json (or ${ARROW_STREAM_TYPE} for steps)${type ? `, not ${type.slice(0, 60)}` : ''}`,
      );
    }
    next();
  };
}

function header(req: Request, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}
