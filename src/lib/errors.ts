// Errors raised by the service layer. Each maps to one HTTP status in `httpStatusOf`.

/** Field name to translation key of the message shown next to that field. */
export type FieldErrors = Record<string, string>;

export class ValidationError extends Error {
  readonly fieldErrors: FieldErrors;
  constructor(fieldErrors: FieldErrors) {
    super(`Invalid input: ${Object.keys(fieldErrors).join(', ')}`);
    this.name = 'ValidationError';
    this.fieldErrors = fieldErrors;
  }
}

export class ForbiddenError extends Error {
  constructor(action: string) {
    super(`The user's role does not allow "${action}"`);
    this.name = 'ForbiddenError';
  }
}

export class NotFoundError extends Error {
  constructor(entity: string, id: unknown) {
    super(`${entity} ${String(id)} not found`);
    this.name = 'NotFoundError';
  }
}

export function httpStatusOf(error: unknown): number {
  if (error instanceof ValidationError) return 422;
  if (error instanceof ForbiddenError) return 403;
  if (error instanceof NotFoundError) return 404;
  return 500;
}
