import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';

type Tree = { [key: string]: string | Tree };

function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const entries = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') entries.set(path, value);
    else for (const [nested, text] of flatten(value, path)) entries.set(nested, text);
  }
  return entries;
}

/** Reads every strings file of a language, keyed by file name. */
function readLanguage(lang: string): Map<string, Map<string, string>> {
  const folder = `locales/${lang}`;
  return new Map(readdirSync(folder).filter((name) => name.endsWith('.json')).map((name) => [name, flatten(JSON.parse(readFileSync(`${folder}/${name}`, 'utf8')))]));
}

const englishFiles = readLanguage('en');
const frenchFiles = readLanguage('fr');
const english = new Map([...englishFiles.values()].flatMap((entries) => [...entries]));
const french = new Map([...frenchFiles.values()].flatMap((entries) => [...entries]));

describe('translation files', () => {
  it('exist under the same names in English and French', () => {
    expect([...frenchFiles.keys()].sort()).toEqual([...englishFiles.keys()].sort());
  });

  it('have the same keys in English and French', () => {
    for (const [name, entries] of englishFiles) expect([...(frenchFiles.get(name)?.keys() ?? [])].sort(), name).toEqual([...entries.keys()].sort());
  });

  it('have no empty text', () => {
    for (const [key, text] of [...english, ...french]) expect(text.trim(), key).not.toBe('');
  });

  it('use the same placeholders in both languages', () => {
    const placeholders = (text: string) => [...text.matchAll(/\{\{(\w+)\}\}/g)].map((match) => match[1]).sort();
    for (const [key, text] of english) expect(placeholders(french.get(key) ?? ''), key).toEqual(placeholders(text));
  });

  it('put a non-breaking space before French colons', () => {
    for (const [key, text] of french) expect(text, key).not.toMatch(/[^\u00a0]:(\s|$)/);
  });
});
