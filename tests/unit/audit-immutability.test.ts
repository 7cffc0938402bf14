// The audit log is append-only because no code writes to it except the insert in
// src/lib/services/audit.ts. These checks read the source, so a new write path fails here
// before it can ship.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const SOURCE_FOLDERS = ['src', 'scripts'];
const SOURCE_FILE = /\.(ts|mjs|js|astro)$/;

function sourceFiles(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return SOURCE_FILE.test(name) ? [path] : [];
  });
}

const files = SOURCE_FOLDERS.flatMap(sourceFiles).map((path) => ({ path, text: readFileSync(path, 'utf8') }));

/** Files whose text matches `pattern`. */
function filesMatching(pattern: RegExp): string[] {
  return files.filter((file) => pattern.test(file.text)).map((file) => file.path);
}

describe('audit log writes', () => {
  it('reads some source files', () => {
    expect(files.length).toBeGreaterThan(50);
  });

  it('inserts from recordAudit only', () => {
    expect(filesMatching(/insert\(\s*auditLog\s*\)/)).toEqual([join('src', 'lib', 'services', 'audit.ts')]);
  });

  it('never updates or deletes through drizzle', () => {
    expect(filesMatching(/(update|delete)\(\s*auditLog\s*\)/)).toEqual([]);
  });

  it('never updates or deletes through SQL', () => {
    expect(filesMatching(/update\s+[`"']?audit_log|delete\s+from\s+[`"']?audit_log|drop\s+table\s+[`"']?audit_log/i)).toEqual([]);
  });

  it('never deletes users, whose audit entries would lose their user id', () => {
    // audit_log.user_id is declared ON DELETE SET NULL.
    expect(filesMatching(/delete\(\s*users\s*\)|delete\s+from\s+[`"']?users\b/i)).toEqual([]);
  });
});
