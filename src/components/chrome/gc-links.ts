// Canada.ca addresses for the signature link and the footer, per language. The terms and
// privacy addresses are those of gcds-footer in @gcds-core/components 1.3.1.
import type { Language } from '../../lib/vocabulary.ts';

export interface GcLinks {
  home: string;
  terms: string;
  privacy: string;
}

export const GC_LINKS: Record<Language, GcLinks> = {
  en: {
    home: 'https://www.canada.ca/en.html',
    terms: 'https://www.canada.ca/en/transparency/terms.html',
    privacy: 'https://www.canada.ca/en/transparency/privacy.html',
  },
  fr: {
    home: 'https://www.canada.ca/fr.html',
    terms: 'https://www.canada.ca/fr/transparence/avis.html',
    privacy: 'https://www.canada.ca/fr/transparence/confidentialite.html',
  },
};
