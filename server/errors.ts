// Errors of the HTTP layer. Each has a stable code; errorMiddleware.ts maps every
// ThoughtlensError code to an HTTP status in one place.
import { ThoughtlensError } from '../data/index.js';

/** Missing or wrong access token. */
export class AuthError extends ThoughtlensError {
  constructor(message: string) {
    super('TL_AUTH', message);
  }
}

/** Request body (or header) larger than the server accepts. */
export class TooLargeError extends ThoughtlensError {
  constructor(message: string) {
    super('TL_TOO_LARGE', message);
  }
}

/** Too many requests from one client in the rate-limit window. */
export class RateLimitError extends ThoughtlensError {
  constructor(
    message: string,
    readonly retryAfterS: number,
  ) {
    super('TL_RATE_LIMIT', message);
  }
}

/** Server configuration is unsafe or invalid (e.g. a non-local bind without a token). */
export class ServerConfigError extends ThoughtlensError {
  constructor(message: string) {
    super('TL_CONFIG', message);
  }
}

/** The request is well-formed but conflicts with the state of the run (finished, busy). */
export class ConflictError extends ThoughtlensError {
  constructor(message: string) {
    super('TL_CONFLICT', message);
  }
}

/** The run is busy with another request for the same thing; the same request may succeed later. */
export class BusyError extends ThoughtlensError {
  constructor(message: string) {
    super('TL_BUSY', message);
  }
}

/** A request parameter is missing or malformed. */
export class BadRequestError extends ThoughtlensError {
  constructor(message: string) {
    super('TL_BAD_REQUEST', message);
  }
}

/** A state-changing request that does not come from this server's page or a non-browser client (CSRF). */
export class ForbiddenError extends ThoughtlensError {
  constructor(message: string) {
    super('TL_FORBIDDEN', message);
  }
}

/** A request body of a type this endpoint does not take. */
export class MediaTypeError extends ThoughtlensError {
  constructor(message: string) {
    super('TL_MEDIA_TYPE', message);
  }
}
