// Application log (pino), written as JSON lines to standard output. Every line written while
// a request is handled carries that request's id as `requestId`.
import pino, { type DestinationStream, type Logger } from 'pino';
import { currentRequestId } from './security/request-context.ts';

/** Fields whose values are secrets, redacted at the top of a log object and one level down. */
const SECRET_FIELDS = ['password', 'passwordConfirm', 'currentPassword', 'newPassword', 'token', 'sessionToken', 'cookie', 'authorization', 'set-cookie'];
/** Secret headers, redacted inside the header objects that HTTP libraries log. */
const SECRET_HEADERS = ['cookie', 'authorization', 'set-cookie'];
const HEADER_OBJECTS = ['headers', 'req.headers', 'res.headers', 'request.headers', 'response.headers'];

/** Appends `field` to a redaction path; names with a hyphen need brackets in pino's syntax. */
function fieldPath(parent: string, field: string): string {
  if (!/^\w+$/.test(field)) return `${parent}["${field}"]`;
  return parent ? `${parent}.${field}` : field;
}

export const REDACTED_PATHS = [
  ...SECRET_FIELDS.flatMap((field) => [fieldPath('', field), fieldPath('*', field)]),
  ...HEADER_OBJECTS.flatMap((parent) => SECRET_HEADERS.map((field) => fieldPath(parent, field))),
];

/** Creates a logger with the redaction and request ids of the application log; tests pass a stream. */
export function createLog(destination?: DestinationStream, level = process.env.LOG_LEVEL ?? 'info'): Logger {
  const options = {
    level,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    mixin() {
      const requestId = currentRequestId();
      return requestId ? { requestId } : {};
    },
  };
  return destination ? pino(options, destination) : pino(options);
}

// The Astro bundle and scripts/serve.ts each load their own copy of this module. They share
// one logger through globalThis, so that their lines reach standard output in the order
// they were written.
const LOG_KEY = Symbol.for('status.log');
const shared = globalThis as { [LOG_KEY]?: Logger };
shared[LOG_KEY] ??= createLog();

export const log: Logger = shared[LOG_KEY];
