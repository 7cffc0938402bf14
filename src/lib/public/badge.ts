// Status badges: small two-part SVG images in the style of shields.io, with the site or
// service name on the left and its status, in words and as a symbol, on the right.
import { translator } from '../i18n.ts';
import type { Language, ServiceStatus } from '../vocabulary.ts';

export interface BadgeContent {
  /** The site or service name, shown on the left. */
  label: string;
  status: ServiceStatus;
  /** The status in words, in the badge's language, shown on the right. */
  statusText: string;
  /** The badge's text alternative, such as "Service status: Operational". */
  textAlternative: string;
  lang: Language;
}

export const BADGE_HEIGHT = 20;
const FONT_SIZE = 11;
const PADDING = 6;
const SYMBOL_SIZE = 12;
const SYMBOL_GAP = 4;
const LABEL_BACKGROUND = '#333333';

/**
 * Background of the status part. White text on each has a contrast ratio of at least
 * 4.5:1, and the colours are the status colours of base.css.
 */
const STATUS_BACKGROUND: Record<ServiceStatus, string> = {
  operational: '#1b6c1c',
  under_maintenance: '#7a4a00',
  degraded_performance: '#7a4a00',
  partial_outage: '#a03b00',
  major_outage: '#a4131f',
};

/**
 * Draws the status symbol of StatusLabel.astro on a 20 by 20 grid. Each status has its own
 * white shape and mark, so that status never depends on colour alone.
 */
function statusSymbol(status: ServiceStatus, background: string): string {
  const mark = (path: string, width: number) => `<path d="${path}" stroke="${background}" stroke-width="${width}" fill="none"/>`;
  switch (status) {
    case 'operational':
      return `<circle cx="10" cy="10" r="9" fill="#fff"/>${mark('M5.5 10.5l3 3 6-7', 2.2)}`;
    case 'degraded_performance':
      return `<path d="M10 1.5l9 16.5H1z" fill="#fff"/>${mark('M10 7v5.5M10 14.5v1.8', 2)}`;
    case 'partial_outage':
      return `<rect x="1.5" y="1.5" width="17" height="17" rx="2" fill="#fff"/>${mark('M10 5v6.5M10 13.5v1.8', 2.2)}`;
    case 'major_outage':
      return `<circle cx="10" cy="10" r="9" fill="#fff"/>${mark('M6.5 6.5l7 7M13.5 6.5l-7 7', 2.2)}`;
    case 'under_maintenance':
      return `<circle cx="10" cy="10" r="9" fill="#fff"/>${mark('M6 10h8', 2.5)}`;
  }
}

/**
 * Advance widths in pixels of the printable ASCII characters, from space (U+0020) to
 * tilde (U+007E), in DejaVu Sans 2.37 at 11 px, measured with canvas measureText in
 * Chromium 150 on Debian 12.
 */
const ASCII_WIDTHS = [
  3.5, 4.4, 5.1, 9.2, 7, 10.5, 8.6, 3, 4.3, 4.3, 5.5, 9.2, 3.5, 4, 3.5, 3.7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 3.7, 3.7, 9.2, 9.2, 9.2, 5.8, 11,
  7.5, 7.5, 7.7, 8.5, 7, 6.3, 8.5, 8.3, 3.2, 3.2, 7.2, 6.1, 9.5, 8.2, 8.7, 6.6, 8.7, 7.6, 7, 6.7, 8.1, 7.5, 10.9, 7.5, 6.7, 7.5, 4.3, 3.7,
  4.3, 9.2, 5.5, 5.5, 6.7, 7, 6, 7, 6.8, 3.9, 7, 7, 3.1, 3.1, 6.4, 3.1, 10.7, 7, 6.7, 7, 7, 4.5, 5.7, 4.3, 7, 6.5, 9, 6.5, 6.5, 5.8, 7,
  3.7, 7, 9.2,
];
const DEFAULT_WIDTH = 7;
const WIDE_WIDTH = FONT_SIZE;

/** East Asian wide characters and emoji, which take about one em. */
const WIDE = /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\p{Extended_Pictographic}]/u;
const COMBINING = /\p{M}/u;

function characterWidth(character: string): number {
  const code = character.codePointAt(0) ?? 0;
  if (code >= 0x20 && code <= 0x7e) return ASCII_WIDTHS[code - 0x20];
  if (COMBINING.test(character)) return 0;
  if (WIDE.test(character)) return WIDE_WIDTH;
  // An accented Latin letter is about as wide as its base letter.
  const base = character.normalize('NFD').codePointAt(0) ?? 0;
  if (base >= 0x20 && base <= 0x7e) return ASCII_WIDTHS[base - 0x20];
  return DEFAULT_WIDTH;
}

/**
 * Estimates the width in pixels of a line of badge text, since the reader's font is
 * unknown. The SVG sets textLength to this width, so the text is stretched or squeezed to
 * fit its box in any font.
 */
export function measureText(text: string): number {
  let width = 0;
  for (const character of text) width += characterWidth(character);
  return Math.round(width * 10) / 10;
}

/** Characters that XML 1.0 does not allow anywhere in a document, even escaped. */
const XML_INVALID = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Escapes text for XML content and attribute values, dropping characters XML cannot contain. */
export function escapeXml(text: string): string {
  return text
    .replace(XML_INVALID, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/**
 * Collapses runs of white space, line breaks included, to one space, as one line of text.
 * No-break spaces are kept, because French typography puts them before colons.
 */
const singleLine = (text: string) => text.replace(/[^\S\u00a0\u202f]+/g, ' ').replace(/^ | $/g, '');

/** Renders a text element stretched to its estimated width. An empty text gets no textLength. */
function textElement(x: number, y: number, text: string): string {
  const width = measureText(text);
  const fit = width > 0 ? ` textLength="${width}" lengthAdjust="spacingAndGlyphs"` : '';
  return `<text x="${x}" y="${y}"${fit}>${escapeXml(text)}</text>`;
}

/** Renders a badge as a standalone SVG document. */
export function renderBadge(content: BadgeContent): string {
  const label = singleLine(content.label);
  const statusText = singleLine(content.statusText);
  const alternative = escapeXml(singleLine(content.textAlternative));
  const background = STATUS_BACKGROUND[content.status];

  const labelTextWidth = measureText(label);
  const statusTextWidth = measureText(statusText);
  const labelWidth = Math.ceil(labelTextWidth + 2 * PADDING);
  const statusWidth = Math.ceil(PADDING + SYMBOL_SIZE + SYMBOL_GAP + statusTextWidth + PADDING);
  const width = labelWidth + statusWidth;
  const symbolX = labelWidth + PADDING;
  const statusTextX = symbolX + SYMBOL_SIZE + SYMBOL_GAP;
  const symbolY = (BADGE_HEIGHT - SYMBOL_SIZE) / 2;
  const baseline = 14;

  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${BADGE_HEIGHT}" viewBox="0 0 ${width} ${BADGE_HEIGHT}" role="img" aria-label="${alternative}" lang="${content.lang}">`,
    `<title>${alternative}</title>`,
    `<clipPath id="badge-corners"><rect width="${width}" height="${BADGE_HEIGHT}" rx="3"/></clipPath>`,
    `<g clip-path="url(#badge-corners)">`,
    `<rect width="${labelWidth}" height="${BADGE_HEIGHT}" fill="${LABEL_BACKGROUND}"/>`,
    `<rect x="${labelWidth}" width="${statusWidth}" height="${BADGE_HEIGHT}" fill="${background}"/>`,
    `</g>`,
    `<g aria-hidden="true" fill="#fff" font-family="DejaVu Sans,Verdana,Geneva,sans-serif" font-size="${FONT_SIZE}">`,
    textElement(PADDING, baseline, label),
    `<g transform="translate(${symbolX} ${symbolY}) scale(${SYMBOL_SIZE / 20})">${statusSymbol(content.status, background)}</g>`,
    textElement(statusTextX, baseline, statusText),
    `</g>`,
    `</svg>`,
    '',
  ].join('\n');
}

/** Builds the content of a badge from a label and a status text, in one language. */
function badgeContent(lang: Language, label: string, status: ServiceStatus, statusText: string): BadgeContent {
  const t = translator(lang);
  return { label, status, statusText, textAlternative: t('badge.textAlternative', { label, status: statusText }), lang };
}

/** Builds the whole page's badge: the site name and the overall status sentence. */
export function siteBadgeContent(lang: Language, overallStatus: ServiceStatus): BadgeContent {
  const t = translator(lang);
  return badgeContent(lang, t('site.name'), overallStatus, t(`overallStatus.${overallStatus}`));
}

/** Builds one service's badge: the service name in the badge's language and its status. */
export function serviceBadgeContent(lang: Language, service: { name: string; status: ServiceStatus }): BadgeContent {
  const t = translator(lang);
  return badgeContent(lang, service.name, service.status, t(`serviceStatus.${service.status}`));
}

/**
 * Response headers for a badge. The public response cache sets Cache-Control. The content
 * security policy blocks scripts and loads for readers who open the SVG directly.
 */
export const BADGE_HEADERS: Readonly<Record<string, string>> = {
  'Content-Type': 'image/svg+xml; charset=utf-8',
  'Content-Security-Policy': "default-src 'none'",
  'X-Content-Type-Options': 'nosniff',
};

/** Builds the HTTP response carrying a rendered badge. */
export function badgeResponse(content: BadgeContent): Response {
  return new Response(renderBadge(content), { headers: BADGE_HEADERS });
}
