import { XMLParser, XMLValidator } from 'fast-xml-parser';
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
  /** The status symbol's child elements, without the attributes that place it. */
  symbol: XmlElement;
}

/** An element as XMLParser returns it: attributes under "@_" names, text under "#text". */
type XmlElement = Record<string, unknown>;

/**
 * A parser that keeps text exactly as written, so that stray spaces stay visible, and
 * always returns lists for the elements that can repeat. It decodes entities in text and
 * attribute values.
 */
const parser = new XMLParser({
  ignoreAttributes: false,
  parseTagValue: false,
  trimValues: false,
  isArray: (name) => name === 'g' || name === 'rect' || name === 'text',
});

/** Returns an element's text. XMLParser returns a bare string for an element without attributes. */
function textOf(element: unknown): string {
  if (typeof element === 'string') return element;
  const text = (element as XmlElement)['#text'];
  return typeof text === 'string' ? text : '';
}

function childElements(element: XmlElement): XmlElement {
  return Object.fromEntries(Object.entries(element).filter(([name]) => !name.startsWith('@_') && name !== '#text'));
}

/** Parses a badge, after checking that it is well-formed XML, and returns the parts the tests look at. */
function parseBadge(svg: string): ParsedBadge {
  expect(XMLValidator.validate(svg)).toBe(true);
  // XMLValidator in fast-xml-parser 5.12.1 accepts a bare "&" in an attribute value and
  // undefined entities, so this check rejects every "&" that does not start an XML entity.
  expect(svg.replace(/&(amp|lt|gt|quot|apos);/g, '')).not.toContain('&');

  const root = (parser.parse(svg) as { svg: XmlElement }).svg;
  const groups = root.g as XmlElement[];
  const background = groups.find((group) => group['@_clip-path'] !== undefined);
  const foreground = groups.find((group) => group['@_aria-hidden'] === 'true');
  expect(background, 'background group').toBeDefined();
  expect(foreground, 'text group').toBeDefined();

  const textElements = (foreground?.text ?? []) as XmlElement[];
  const symbols = (foreground?.g ?? []) as XmlElement[];
  expect(symbols, 'symbol group').toHaveLength(1);

  return {
    width: Number(root['@_width']),
    height: Number(root['@_height']),
    role: root['@_role'] as string,
    ariaLabel: root['@_aria-label'] as string,
    lang: root['@_lang'] as string,
    title: textOf(root.title),
    texts: textElements.map((element) => ({
      text: textOf(element),
      x: Number(element['@_x']),
      textLength: element['@_textLength'] === undefined ? undefined : Number(element['@_textLength']),
    })),
    fills: ((background?.rect ?? []) as XmlElement[]).map((rect) => rect['@_fill'] as string),
    symbol: childElements(symbols[0]),
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
    expect(svg).toContain('<title>&lt;script&gt;&amp;: Operational</title>');
    expect(svg).toContain('aria-label="&lt;script&gt;&amp;: Operational"');
    expect(svg).toContain('>&lt;script&gt;&amp;</text>');
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
    const badges = SERVICE_STATUSES.map((status) => parseBadge(renderBadge(content({ status }))));
    for (const [index, badge] of badges.entries()) expect(Object.keys(badge.symbol), SERVICE_STATUSES[index]).not.toHaveLength(0);
    // The marks are drawn in the status colour, so it is masked to compare shapes alone.
    const shapes = badges.map((badge) => JSON.stringify(badge.symbol).replaceAll(badge.fills[1], 'status colour'));
    expect(new Set(shapes).size).toBe(SERVICE_STATUSES.length);
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
