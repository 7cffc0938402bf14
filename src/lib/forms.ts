// Helpers for admin form posts: read the form, run a service function, turn errors into field messages.
import { ForbiddenError, httpStatusOf, NotFoundError, ValidationError, type FieldErrors } from './errors.ts';

export type FormValues = Record<string, unknown>;

/**
 * Reads a form into a plain object. A name such as "impacts.3" becomes a nested value
 * `{ impacts: { "3": ... } }`; files are ignored.
 */
export function formToInput(form: FormData): FormValues {
  // Objects without a prototype, so that a field named "__proto__.x" or "constructor.x"
  // becomes an ordinary key instead of reaching Object.prototype.
  const values: FormValues = Object.create(null);
  for (const [name, value] of form) {
    if (typeof value !== 'string') continue;
    const dot = name.indexOf('.');
    if (dot === -1) {
      values[name] = value;
      continue;
    }
    const group = name.slice(0, dot);
    const existing = values[group];
    const nested = (typeof existing === 'object' && existing !== null ? existing : Object.create(null)) as Record<string, string>;
    nested[name.slice(dot + 1)] = value;
    values[group] = nested;
  }
  return values;
}

/**
 * Reads a posted form. Returns the response to send instead when the body is not a form:
 * JSON, plain text, a broken multipart body, or a body over the size limit.
 */
export async function readForm(request: Request, message: string): Promise<FormData | Response> {
  try {
    return await request.formData();
  } catch {
    const isForm = /^(application\/x-www-form-urlencoded|multipart\/form-data)\b/i.test(request.headers.get('content-type') ?? '');
    return new Response(message, { status: isForm ? 400 : 415, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
  }
}

export type FormOutcome<T> = { ok: true; value: T } | { ok: false; status: number; errors: FieldErrors };

/** Runs a write and returns its result, or the field messages and HTTP status of a rejected input. */
export async function runWrite<T>(write: () => T | Promise<T>): Promise<FormOutcome<T>> {
  try {
    return { ok: true, value: await write() };
  } catch (error) {
    if (error instanceof ValidationError) return { ok: false, status: httpStatusOf(error), errors: error.fieldErrors };
    if (error instanceof ForbiddenError) return { ok: false, status: httpStatusOf(error), errors: { form: 'errors.forbidden' } };
    if (error instanceof NotFoundError) return { ok: false, status: httpStatusOf(error), errors: { form: 'errors.notFound' } };
    throw error;
  }
}

/** Reads a text value from form values, for refilling a form. */
export function text(values: FormValues, name: string): string {
  const value = values[name];
  return typeof value === 'string' ? value : '';
}
