/**
 * Every failure the domain reports carries a stable code; the HTTP layer maps codes to statuses once
 * (`not_found` → 404, `conflict` → 409, `invalid` → 400, `forbidden` → 403), by the code's kind.
 */
export type ErrorKind = 'invalid' | 'not_found' | 'conflict' | 'forbidden' | 'unauthorized' | 'unavailable';

export class DomainError extends Error {
  override readonly name = 'DomainError';
  constructor(
    /** Dotted, stable, e.g. `conversation.illegal_transition`. */
    readonly code: string,
    message: string,
    readonly kind: ErrorKind = 'invalid',
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export class ValidationError extends DomainError {
  constructor(code: string, message: string, details?: unknown) {
    super(code, message, 'invalid', details);
  }
}

export class NotFoundError extends DomainError {
  constructor(code: string, message: string, details?: unknown) {
    super(code, message, 'not_found', details);
  }
}

export class ConflictError extends DomainError {
  constructor(code: string, message: string, details?: unknown) {
    super(code, message, 'conflict', details);
  }
}

export function isDomainError(e: unknown): e is DomainError {
  return e instanceof DomainError;
}
