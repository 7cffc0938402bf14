/// <reference types="astro/client" />

declare namespace App {
  interface Locals {
    lang: import('./lib/vocabulary.ts').Language;
    t: import('./lib/i18n.ts').Translate;
    /** The signed-in user on admin pages; undefined on public pages. */
    user?: import('./lib/auth/sessions.ts').SessionUser;
  }
}
