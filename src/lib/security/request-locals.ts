// Types of the request values that src/middleware.ts puts on `Astro.locals` for every request.
import type { Logger } from 'pino';

declare global {
  namespace App {
    interface Locals {
      /** Id of this request, also sent to the client in the X-Request-Id response header. */
      requestId: string;
      /** The application log; each line it writes carries `requestId`. */
      log: Logger;
    }
  }
}

export {};
