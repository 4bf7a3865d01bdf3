// Errors of the run store. Every error carries a stable `code` (the CLI maps codes to exit
// codes and the server to HTTP statuses in one place each) and, where it applies, the file,
// column and row it is about, so a person can find the bad value.

export interface ErrorLocation {
  file?: string;
  column?: string;
  row?: number;
}

export class ThoughtlensError extends Error {
  readonly code: string;
  readonly location: ErrorLocation;

  constructor(code: string, message: string, location: ErrorLocation = {}) {
    super(withLocation(message, location));
    this.name = new.target.name;
    this.code = code;
    this.location = location;
  }
}

function withLocation(message: string, loc: ErrorLocation): string {
  const parts: string[] = [];
  if (loc.file !== undefined) parts.push(`file ${loc.file}`);
  if (loc.column !== undefined) parts.push(`column '${loc.column}'`);
  if (loc.row !== undefined) parts.push(`row ${loc.row}`);
  return parts.length ? `${message} (${parts.join(', ')})` : message;
}

/** The manifest or a file does not follow the run format. */
export class FormatError extends ThoughtlensError {
  constructor(message: string, location?: ErrorLocation) {
    super('TL_FORMAT', message, location);
  }
}

/** The format version is one this build cannot read. */
export class VersionError extends ThoughtlensError {
  constructor(message: string, location?: ErrorLocation) {
    super('TL_VERSION', message, location);
  }
}

/** An Arrow schema does not match what the manifest declares. */
export class SchemaMismatchError extends ThoughtlensError {
  constructor(message: string, location?: ErrorLocation) {
    super('TL_SCHEMA_MISMATCH', message, location);
  }
}

/** A value is not allowed (NaN/Inf hidden state, wrong length, out-of-order key). */
export class BadValueError extends ThoughtlensError {
  constructor(message: string, location?: ErrorLocation) {
    super('TL_BAD_VALUE', message, location);
  }
}

/** A run, agent or file that was asked for does not exist. */
export class NotFoundError extends ThoughtlensError {
  constructor(message: string, location?: ErrorLocation) {
    super('TL_NOT_FOUND', message, location);
  }
}

/** The caller used the API wrongly (writing after close, bad option). */
export class UsageError extends ThoughtlensError {
  constructor(message: string, location?: ErrorLocation) {
    super('TL_USAGE', message, location);
  }
}
