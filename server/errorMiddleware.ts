// The one place where errors become HTTP responses: ThoughtlensError codes map to statuses,
// bodies are always {error:{code,message}}, and nothing else (no stack, no file system
// paths of the server) leaves. Unknown errors are logged and answered with a generic 500.
import type { NextFunction, Request, Response } from 'express';
import { ThoughtlensError } from '../data/index.js';
import type { ApiError } from './protocol.js';

export const STATUS_BY_CODE: Record<string, number> = {
  TL_BAD_REQUEST: 400,
  TL_USAGE: 400,
  TL_CONFIG: 400,
  TL_BAD_VALUE: 400,
  TL_FORMAT: 422,
  TL_VERSION: 422,
  TL_SCHEMA_MISMATCH: 422,
  TL_AUTH: 401,
  TL_FORBIDDEN: 403,
  TL_MEDIA_TYPE: 415,
  TL_NOT_FOUND: 404,
  TL_CONFLICT: 409,
  TL_BUSY: 409,
  TL_TOO_LARGE: 413,
  TL_RATE_LIMIT: 429,
};

export function statusFor(err: unknown): number {
  if (err instanceof ThoughtlensError) return STATUS_BY_CODE[err.code] ?? 400;
  return 500;
}

export function errorBody(code: string, message: string): ApiError {
  return { error: { code, message } };
}

export function errorMiddleware(log: (line: string) => void, workspace: string) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction): void => {
    let status: number;
    let body: ApiError;
    const e = err as { type?: string; status?: number; message?: string; stack?: string };
    if (err instanceof ThoughtlensError) {
      status = statusFor(err);
      body = errorBody(err.code, scrub(err.message, workspace));
    } else if (e?.type === 'entity.too.large') {
      status = 413;
      body = errorBody('TL_TOO_LARGE', 'request body is too large for this endpoint');
    } else if (e?.type === 'entity.parse.failed') {
      status = 400;
      body = errorBody('TL_BAD_REQUEST', 'request body is not valid JSON');
    } else if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500) {
      status = e.status;
      body = errorBody('TL_BAD_REQUEST', 'the request could not be read');
    } else {
      status = 500;
      body = errorBody('TL_INTERNAL', 'internal error in the workbench server; the server log has details');
      log(`internal error on ${req.method} ${req.path}: ${e?.stack ?? String(err)}`);
    }
    if (res.headersSent) {
      res.destroy();
      return;
    }
    res.status(status).json(body);
  };
}

/** Messages name files relative to the workspace, never the server's absolute paths. */
function scrub(message: string, workspace: string): string {
  return message.split(workspace + '/').join('').split(workspace).join('(workspace)');
}
