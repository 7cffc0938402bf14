import { describe, expect, it } from 'vitest';
import { ForbiddenError, ValidationError } from '../../src/lib/errors.ts';
import { listServices } from '../../src/lib/public/read-model.ts';
import { createService, updateService } from '../../src/lib/services/service-catalogue.ts';
import { admin, freshDb, publisher } from './helpers.ts';

const input = { slug: 'Notify-API', nameEn: 'API', nameFr: 'API', descriptionEn: 'Sends messages', descriptionFr: 'Envoie des messages', displayOrder: '2' };

describe('createService', () => {
  it('stores a normalized slug and both languages', () => {
    const db = freshDb();
    createService(db, admin, input);
    const [service] = listServices(db, 'fr');
    expect(service?.slug).toBe('notify-api');
    expect(service?.description).toBe('Envoie des messages');
    expect(service?.status).toBe('operational');
  });

  it('rejects a duplicate slug', () => {
    const db = freshDb();
    createService(db, admin, input);
    expect(() => createService(db, admin, input)).toThrow(ValidationError);
  });

  it.each([
    ['slug', 'has spaces'],
    ['nameFr', ''],
    ['displayOrder', '-1'],
    ['displayOrder', 'abc'],
    ['nameEn', 'x'.repeat(101)],
  ])('rejects %s = %j', (field, value) => {
    const db = freshDb();
    expect(() => createService(db, admin, { ...input, [field]: value })).toThrow(ValidationError);
    expect(listServices(db, 'en')).toHaveLength(0);
  });

  it('is reserved to administrators', () => {
    const db = freshDb();
    expect(() => createService(db, publisher, input)).toThrow(ForbiddenError);
  });
});

describe('updateService', () => {
  it('changes the names', () => {
    const db = freshDb();
    const id = createService(db, admin, input);
    updateService(db, admin, id, { ...input, nameEn: 'Notify API' });
    expect(listServices(db, 'en')[0]?.name).toBe('Notify API');
  });
});
