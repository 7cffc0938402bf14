// Input parsing for the service layer. Messages are translation keys under `errors.`,
// shown next to the field in the user's language.
import { currentTime } from '../clock.ts';
import { z } from 'zod';
import { ValidationError, type FieldErrors } from '../errors.ts';
import { config } from '../config.ts';
import { parseDateTimeLocal } from '../time.ts';

/** Maps zod's issues to our message keys where a schema sets none of its own. */
const defaultMessage: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined || issue.input === null ? 'errors.required' : 'errors.invalid';
    case 'too_big':
      return 'errors.tooLong';
    case 'too_small':
      return 'errors.required';
    case 'invalid_value':
      return 'errors.invalidChoice';
    default:
      return 'errors.invalid';
  }
};

/** Parses input with the schema, or raises a ValidationError listing the first problem of each field. */
export function parseInput<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const result = schema.safeParse(input, { error: defaultMessage });
  if (result.success) return result.data;
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const field = issue.path.join('.') || 'form';
    errors[field] ??= issue.message;
  }
  throw new ValidationError(errors);
}

/**
 * Parses each field of a shape on its own, so that every field's problem is reported even
 * when others fail. Returns the values that parsed and the first problem of each field.
 */
export function collectFields<T extends Record<string, z.ZodType>>(
  shape: T,
  input: unknown,
): { data: Partial<{ [K in keyof T]: z.output<T[K]> }>; errors: FieldErrors } {
  const record = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
  const data: Record<string, unknown> = {};
  const errors: FieldErrors = {};
  for (const [field, schema] of Object.entries(shape)) {
    const result = schema.safeParse(record[field], { error: defaultMessage });
    if (result.success) data[field] = result.data;
    else errors[field] = result.error.issues[0]?.message ?? 'errors.invalid';
  }
  return { data: data as Partial<{ [K in keyof T]: z.output<T[K]> }>, errors };
}

// C0 controls other than tab, line feed and carriage return, DEL, C1 controls, and the two
// noncharacters that XML 1.0 forbids. One of them in a service name would make the RSS and
// Atom feeds invalid XML.
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFE\uFFFF]/;
const withoutControlCharacters = (value: string) => !CONTROL_CHARACTERS.test(value);

/** Required text, trimmed, with a maximum length in characters and no control characters. */
export const requiredText = (max: number) =>
  z.string().trim().min(1, 'errors.required').max(max, 'errors.tooLong').refine(withoutControlCharacters, 'safety.controlCharacters');

/** Optional text: a missing value becomes the empty string. */
export const optionalText = (max: number) =>
  z.preprocess((value) => value ?? '', z.string().trim().max(max, 'errors.tooLong').refine(withoutControlCharacters, 'safety.controlCharacters'));

/** An absolute http(s) URL, or null when the field is empty. */
export const optionalHttpUrl = z.preprocess(
  (value) => (typeof value === 'string' && value.trim() === '' ? null : value),
  z
    .string()
    .trim()
    .max(2000, 'errors.tooLong')
    .refine((value) => {
      try {
        const url = new URL(value);
        return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
      } catch {
        return false;
      }
    }, 'errors.url')
    .nullable(),
);

// Clocks of the people who type times may run a little ahead of the server's.
const FUTURE_TOLERANCE_MS = 5 * 60_000;

/** A time typed in a datetime-local field, read in the configured zone; not in the future. */
export const pastDateTime = z
  .string('errors.required')
  .trim()
  .min(1, 'errors.required')
  .transform((value, context) => {
    const date = parseDateTimeLocal(value, config().timeZone);
    if (!date) {
      context.addIssue({ code: 'custom', message: 'errors.dateTime' });
      return z.NEVER;
    }
    if (date.getTime() > currentTime().getTime() + FUTURE_TOLERANCE_MS) {
      context.addIssue({ code: 'custom', message: 'errors.future' });
      return z.NEVER;
    }
    return date;
  });

/** A time typed in a datetime-local field, read in the configured zone; past or future. */
export const anyDateTime = z
  .string('errors.required')
  .trim()
  .min(1, 'errors.required')
  .transform((value, context) => {
    const date = parseDateTimeLocal(value, config().timeZone);
    if (!date) {
      context.addIssue({ code: 'custom', message: 'errors.dateTime' });
      return z.NEVER;
    }
    return date;
  });
