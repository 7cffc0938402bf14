// One i18next instance for the whole process; each request uses a `t` fixed to its language.
// Every JSON file under locales/<language>/ is merged into that language's strings, so a
// feature can keep its strings in a file of its own.
import i18next, { type TFunction } from 'i18next';
import { LANGUAGES, type Language } from './vocabulary.ts';

type Strings = { [key: string]: string | Strings };

const files = import.meta.glob<Strings>('../../locales/*/*.json', { eager: true, import: 'default' });

function merge(target: Strings, source: Strings, path: string): void {
  for (const [key, value] of Object.entries(source)) {
    const existing = target[key];
    if (typeof value === 'object' && (existing === undefined || typeof existing === 'object')) {
      const nested = (existing ?? {}) as Strings;
      merge(nested, value, `${path}.${key}`);
      target[key] = nested;
    } else if (existing !== undefined) {
      throw new Error(`Translation key ${path}.${key} is defined twice; keep each key in one file.`);
    } else {
      target[key] = value;
    }
  }
}

function loadLanguage(lang: Language): Strings {
  const strings: Strings = {};
  for (const [file, content] of Object.entries(files)) {
    if (file.split('/').at(-2) === lang) merge(strings, content, lang);
  }
  return strings;
}

const instance = i18next.createInstance();
void instance.init({
  resources: Object.fromEntries(LANGUAGES.map((lang) => [lang, { translation: loadLanguage(lang) }])),
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
