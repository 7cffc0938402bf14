// One i18next instance for the whole process; each request uses a `t` fixed to its language.
import i18next, { type TFunction } from 'i18next';
import en from '../../locales/en/translation.json' with { type: 'json' };
import fr from '../../locales/fr/translation.json' with { type: 'json' };
import type { Language } from './vocabulary.ts';

const instance = i18next.createInstance();
void instance.init({
  resources: { en: { translation: en }, fr: { translation: fr } },
  lng: 'en',
  fallbackLng: false,
  initAsync: false,
  // Astro escapes every value it renders, so escaping here would escape twice.
  interpolation: { escapeValue: false },
  returnNull: false,
});

export type Translate = TFunction;

export function translator(lang: Language): Translate {
  return instance.getFixedT(lang);
}
