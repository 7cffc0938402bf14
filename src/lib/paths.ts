// Public URLs, in one place so that pages, feeds and the language toggle agree.
import type { Language } from './vocabulary.ts';

export const homePath = (lang: Language) => `/${lang}/`;
export const incidentPath = (lang: Language, id: number) => `/${lang}/incidents/${id}`;
export const feedPath = (lang: Language) => `/${lang}/rss.xml`;
