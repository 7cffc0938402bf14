import { describe, expect, it } from 'vitest';
import { BADGE_HEIGHT, escapeXml, measureText, renderBadge, serviceBadgeContent, siteBadgeContent, type BadgeContent } from '../../src/lib/public/badge.ts';
import { SERVICE_STATUSES, type ServiceStatus } from '../../src/lib/vocabulary.ts';

interface ParsedBadge {
  width: number;
  height: number;
  role: string;
  ariaLabel: string;
  lang: string;
  title: string;
  /** The text elements, label first. */
  texts: { text: string; x: number; textLength: number | undefined }[];
  /** The fills of the two background rectangles, label part first. */
  fills: string[];
  /** The status symbol's markup. */
  symbol: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const unescapeXml = (text: string) => text.replace(/&(amp|lt|gt|quot|apos);/g, (_, name: string) => ENTITIES[name]);

function attributes(source: string): Record<string, string> {
  return Object.fromEntries([...source.matchAll(/([\w:-]+)="([^"<]*)"/g)].map(([, name, value]) => [name, unescapeXml(value)]));
}

/**
 * Reads the parts of a badge that the tests look at. The patterns only match text and
 * attribute values without a raw "<", and every "&" must start one of the five entities,
 * so markup that escaped escaping fails the parse.
 */
function parseBadge(svg: string): ParsedBadge {
  expect(svg.replace(/&(amp|lt|gt|quot|apos);/g, '')).not.toContain('&');
  const root = attributes(svg.match(/^<svg ([^>]*)>/)?.[1] ?? '');
  const texts = [...svg.matchAll(/<text ([^>]*)>([^<]*)<\/text>/g)].map(([, source, content]) => {
    const attribute = attributes(source);
    return { text: unescapeXml(content), x: Number(attribute.x), textLength: attribute.textLength === undefined ? undefined : Number(attribute.textLength) };
  });
  return {
    width: Number(root.width),
    height: Number(root.height),
    role: root.role,
    ariaLabel: root['aria-label'],
    lang: root.lang,
    title: unescapeXml(svg.match(/<title>([^<]*)<\/title>/)?.[1] ?? ''),
    texts,
    fills: [...svg.matchAll(/<rect ([^>]*)\/>/g)].map(([, source]) => attributes(source).fill).filter((fill) => fill !== undefined),
    symbol: svg.match(/<g transform="translate\([^"]*\) scale\([^"]*\)">(.*?)<\/g>/)?.[1] ?? '',
  };
}

const content = (overrides: Partial<BadgeContent> = {}): BadgeContent => ({
  label: 'Forms',
  status: 'operational',
  statusText: 'Operational',
  textAlternative: 'Forms: Operational',
  lang: 'en',
  ...overrides,
});

/** WCAG 2 contrast ratio between a #rrggbb colour and white. */
function contrastWithWhite(hex: string): number {
  const channels = [1, 3, 5].map((start) => parseInt(hex.slice(start, start + 2), 16) / 255);
  const [r, g, b] = channels.map((value) => (value <= 0.04045 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4));
  const luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  return 1.05 / (luminance + 0.05);
}

describe('escapeXml', () => {
  it('escapes the five XML special characters', () => {
    expect(escapeXml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;');
  });

  it('drops characters XML cannot contain', () => {
    expect(escapeXml('a\u0000b\u0007c\u001fd\ufffee')).toBe('abcde');
    expect(escapeXml('lone \ud800 surrogate')).toBe('lone  surrogate');
  });

  it('keeps tabs, line breaks and astral characters', () => {
    expect(escapeXml('a\tb\nc\r😀')).toBe('a\tb\nc\r😀');
  });
});

describe('renderBadge', () => {
  it('renders markup in a label as inert text', () => {
    const svg = renderBadge(content({ label: '<script>&', textAlternative: '<script>&: Operational' }));
    expect(svg).not.toContain('<script');
    expect(svg).toContain('&lt;script&gt;&amp;');
    const badge = parseBadge(svg);
    expect(badge.texts[0].text).toBe('<script>&');
    expect(badge.title).toBe('<script>&: Operational');
    expect(badge.ariaLabel).toBe('<script>&: Operational');
  });

  it('escapes quotes inside the aria-label attribute', () => {
    const svg = renderBadge(content({ label: `"quoted" 'name'`, textAlternative: `"quoted" 'name': Operational` }));
    expect(svg).toContain('aria-label="&quot;quoted&quot; &apos;name&apos;: Operational"');
    expect(parseBadge(svg).ariaLabel).toBe(`"quoted" 'name': Operational`);
  });

  it('gives a role, an aria-label and a title', () => {
    const badge = parseBadge(renderBadge(content()));
    expect(badge.role).toBe('img');
    expect(badge.ariaLabel).toBe('Forms: Operational');
    expect(badge.title).toBe('Forms: Operational');
  });

  it('shows the label and status as text', () => {
    const badge = parseBadge(renderBadge(content()));
    expect(badge.texts.map((entry) => entry.text)).toEqual(['Forms', 'Operational']);
  });

  it('puts a label on one line', () => {
    const badge = parseBadge(renderBadge(content({ label: ' Forms\n  and\tfiles ' })));
    expect(badge.texts[0].text).toBe('Forms and files');
  });

  it('keeps no-break spaces', () => {
    const badge = parseBadge(renderBadge(content({ textAlternative: 'Formulaires\u00a0: Opérationnel' })));
    expect(badge.title).toBe('Formulaires\u00a0: Opérationnel');
  });

  it('grows with the text', () => {
    const short = parseBadge(renderBadge(content({ label: 'API' })));
    const long = parseBadge(renderBadge(content({ label: 'Application programming interface' })));
    expect(long.width).toBeGreaterThan(short.width);
    expect(long.width - short.width).toBe(Math.ceil(measureText('Application programming interface') + 12) - Math.ceil(measureText('API') + 12));
    expect(short.height).toBe(BADGE_HEIGHT);
  });

  it('fits each text to its measured width', () => {
    const badge = parseBadge(renderBadge(content({ label: 'Text message sending', statusText: 'Partial outage', status: 'partial_outage' })));
    expect(badge.texts[0].textLength).toBe(measureText('Text message sending'));
    expect(badge.texts[1].textLength).toBe(measureText('Partial outage'));
    const statusEnd = badge.texts[1].x + (badge.texts[1].textLength ?? 0);
    expect(statusEnd).toBeLessThanOrEqual(badge.width);
  });

  it('shows each status with its own symbol', () => {
    const symbols = SERVICE_STATUSES.map((status) => parseBadge(renderBadge(content({ status }))).symbol);
    for (const symbol of symbols) expect(symbol).not.toBe('');
    expect(new Set(symbols).size).toBe(SERVICE_STATUSES.length);
  });

  it('keeps white text readable on every status colour', () => {
    for (const status of SERVICE_STATUSES) {
      const [labelFill, statusFill] = parseBadge(renderBadge(content({ status }))).fills;
      expect(contrastWithWhite(labelFill), 'label').toBeGreaterThanOrEqual(4.5);
      expect(contrastWithWhite(statusFill), status).toBeGreaterThanOrEqual(4.5);
    }
  });
});

describe('measureText', () => {
  it('counts narrow letters as narrower than wide ones', () => {
    expect(measureText('iiii')).toBeLessThan(measureText('mmmm'));
  });

  it('measures accented letters like their base letter', () => {
    expect(measureText('État')).toBe(measureText('Etat'));
    expect(measureText('é')).toBe(measureText('e'));
  });

  it('counts East Asian characters as one em', () => {
    expect(measureText('状态')).toBe(22);
  });

  it('returns zero for empty text', () => {
    expect(measureText('')).toBe(0);
  });
});

describe('badge content', () => {
  const cases: { lang: 'en' | 'fr'; status: ServiceStatus; site: string; overall: string; service: string; alternative: string }[] = [
    {
      lang: 'en',
      status: 'major_outage',
      site: 'Service status',
      overall: 'Some services have a major outage',
      service: 'Major outage',
      alternative: 'Forms: Major outage',
    },
    {
      lang: 'fr',
      status: 'major_outage',
      site: 'État des services',
      overall: 'Certains services connaissent une panne majeure',
      service: 'Panne majeure',
      alternative: 'Formulaires\u00a0: Panne majeure',
    },
  ];

  for (const expected of cases) {
    it(`names the whole page in ${expected.lang}`, () => {
      const badge = parseBadge(renderBadge(siteBadgeContent(expected.lang, expected.status)));
      expect(badge.texts.map((entry) => entry.text)).toEqual([expected.site, expected.overall]);
      expect(badge.title).toBe(`${expected.site}${expected.lang === 'fr' ? '\u00a0:' : ':'} ${expected.overall}`);
      expect(badge.lang).toBe(expected.lang);
    });

    it(`names one service in ${expected.lang}`, () => {
      const name = expected.lang === 'en' ? 'Forms' : 'Formulaires';
      const badge = parseBadge(renderBadge(serviceBadgeContent(expected.lang, { name, status: expected.status })));
      expect(badge.texts.map((entry) => entry.text)).toEqual([name, expected.service]);
      expect(badge.title).toBe(expected.alternative);
      expect(badge.ariaLabel).toBe(expected.alternative);
    });
  }
});
