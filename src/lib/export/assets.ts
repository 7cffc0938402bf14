// Copies the built static assets (dist/client) into the export, except the admin ones.
import { copyFile, mkdir, readdir } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { isAdminPath, pathKey } from './links.ts';

/**
 * Copies every file under `clientDir` except those under /admin to the same place under
 * `outDir`. Returns the URL paths of the copied files, as keys from pathKey(); a
 * folder's index.html also adds the folder's own path.
 */
export async function copyStaticAssets(clientDir: string, outDir: string): Promise<Set<string>> {
  const paths = new Set<string>();
  const entries = await readdir(clientDir, { recursive: true, withFileTypes: true });
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const file = relative(clientDir, join(entry.parentPath, entry.name)).split(sep).join('/');
    const urlPath = new URL(file, 'http://assets.invalid/').pathname;
    if (isAdminPath(urlPath)) continue;

    await mkdir(dirname(join(outDir, file)), { recursive: true });
    await copyFile(join(clientDir, file), join(outDir, file));
    paths.add(pathKey(urlPath));
    if (urlPath.endsWith('/index.html')) paths.add(pathKey(urlPath.slice(0, -'index.html'.length)));
  }
  return paths;
}
