import { describe, expect, it } from 'vitest';
import { renderFacts, renderUpdate, updateAsHtml } from '../../src/lib/public/update-text.ts';
import type { PublicUpdate } from '../../src/lib/public/read-model.ts';

const ZONE = 'America/Toronto';
const plain = (texts: string[]) => texts.map((text) => text.replace(/[\u00a0\u202f]/g, ' '));

const facts = {
  usersAffectedKind: 'unknown' as const,
  usersAffected: null,
  cause: null,
  restorationAt: null,
  nextUpdateAt: new Date('2026-12-04T20:00:00Z'),
};

describe('renderFacts', () => {
  it('says explicitly what is not yet known', () => {
    expect(plain(renderFacts(facts, 'en', ZONE))).toEqual([
      'The number of users affected is not yet known.',
      'The cause is not yet known.',
      'We do not yet know when service will be restored.',
      'Next update by December 4, 2026, 3:00 p.m. EST.',
    ]);
    expect(plain(renderFacts(facts, 'fr', ZONE))).toEqual([
      'Le nombre d’utilisateurs touchés n’est pas encore connu.',
      'La cause n’est pas encore connue.',
      'Nous ne savons pas encore quand le service sera rétabli.',
      'Prochaine mise à jour d’ici le 4 décembre 2026, 15 h HNE.',
    ]);
  });

  it('uses singular and plural for users', () => {
    const one = { ...facts, usersAffectedKind: 'exact' as const, usersAffected: 1 };
    const many = { ...facts, usersAffectedKind: 'estimate' as const, usersAffected: 12500 };
    expect(renderFacts(one, 'en', ZONE)[0]).toBe('1 user is affected.');
    expect(renderFacts(one, 'fr', ZONE)[0]).toBe('1 utilisateur est touché.');
    expect(renderFacts(many, 'en', ZONE)[0]).toBe('About 12,500 users are affected.');
    expect(plain(renderFacts(many, 'fr', ZONE))[0]).toBe('Environ 12 500 utilisateurs sont touchés.');
  });

  it('states a known cause and restoration time across a daylight-saving change', () => {
    const known = { ...facts, cause: 'A full disk.', restorationAt: new Date('2026-11-01T07:30:00Z'), nextUpdateAt: new Date('2026-11-01T05:45:00Z') };
    expect(plain(renderFacts(known, 'en', ZONE))).toEqual([
      'The number of users affected is not yet known.',
      'Cause: A full disk.',
      'We expect service to be restored by November 1, 2026, 2:30 a.m. EST.',
      'Next update by November 1, 2026, 1:45 a.m. EDT.',
    ]);
    expect(plain(renderFacts(known, 'fr', ZONE)).slice(2)).toEqual([
      'Nous prévoyons le rétablissement du service d’ici le 1er novembre 2026, 2 h 30 HNE.',
      'Prochaine mise à jour d’ici le 1er novembre 2026, 1 h 45 HAE.',
    ]);
  });

  it('states no facts for an update without them', () => {
    expect(renderFacts({ ...facts, usersAffectedKind: null }, 'en', ZONE)).toEqual([]);
  });
});

describe('renderUpdate', () => {
  const update: PublicUpdate = {
    id: 1,
    kind: 'postmortem',
    status: 'resolved',
    body: '',
    now: [],
    next: [],
    ...facts,
    usersAffectedKind: null,
    postedAt: new Date(),
  };

  it('announces a postmortem with its link', () => {
    const rendered = renderUpdate(update, 'fr', 'https://blog.example.gc.ca/fr/analyse', ZONE);
    expect(rendered.summary).toBe('L’analyse post-incident de cet incident est publiée.');
    expect(rendered.postmortem?.href).toBe('https://blog.example.gc.ca/fr/analyse');
    expect(updateAsHtml(rendered, 'fr')).toContain('<a href="https://blog.example.gc.ca/fr/analyse">');
  });

  it('writes parts as HTML for feeds', () => {
    const html = updateAsHtml(renderUpdate({ ...update, kind: 'update', body: 'Summary.', now: ['One.', 'Two.'], next: ['Three.'] }, 'en', null, ZONE), 'en');
    expect(html).toBe('<p>Summary.</p><p>What is happening now:</p><ul><li>One.</li><li>Two.</li></ul><p>Next steps:</p><ul><li>Three.</li></ul>');
  });

  it('escapes user text in feed HTML', () => {
    const html = updateAsHtml(renderUpdate({ ...update, kind: 'update', body: '<script>alert(1)</script> & <b>', now: ['a < b'] }, 'en', null, ZONE), 'en');
    expect(html).toContain('<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;</p>');
    expect(html).toContain('<li>a &lt; b</li>');
  });
});
