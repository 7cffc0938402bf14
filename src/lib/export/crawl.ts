// Crawls the running server from a list of paths, follows every internal link it finds,
// and writes each response to the file that a static host serves for its URL.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { htmlLinks, internalPath, isAdminPath, jsonLinks, outputFileFor, pathKey, servicePagePaths, textLinks } from './links.ts';

/** A not-found page to export: `path` must return 404 with HTML, which is written to `file`. */
export interface NotFoundPage {
  path: string;
  file: string;
}

export interface CrawlOptions {
  /** Address of the running server, such as http://127.0.0.1:43121/. */
  serverUrl: URL;
  /** Origin of the public site, such as https://status.example.ca; absolute links to it are followed. */
  siteOrigin: string;
  outDir: string;
  startPaths: readonly string[];
  notFoundPages?: readonly NotFoundPage[];
  /** Paths whose files the output folder already contains (the static assets), so they are not fetched. */
  existingPaths?: ReadonlySet<string>;
  /** Number of requests in flight at once. */
  concurrency?: number;
  /** Time limit for one request, in milliseconds. */
  requestTimeoutMs?: number;
  signal?: AbortSignal;
  onProgress?: (progress: CrawlProgress) => void;
}

export interface CrawlProgress {
  done: number;
  /** Paths found so far; it grows while pages are crawled. */
  total: number;
  path: string;
}

export interface CrawlFailure {
  path: string;
  /** The page whose link led to the path, or "start list" for the paths the crawl began with. */
  foundOn: string;
  reason: string;
}

export interface CrawlResult {
  /** Written files, relative to the output folder. */
  files: string[];
  failures: CrawlFailure[];
}

export const START_LIST = 'start list';

interface QueueItem {
  path: string;
  foundOn: string;
  /** Set for a not-found page: the file to write instead of the path's own. */
  notFoundFile?: string;
}

function mediaType(contentType: string): string {
  return contentType.split(';')[0]!.trim().toLowerCase();
}

/** Returns the links in a response body, by its media type. */
function linksIn(body: Buffer, contentType: string): string[] {
  const type = mediaType(contentType);
  if (type === 'text/html') return htmlLinks(body.toString('utf8'));
  if (type === 'application/json' || type.endsWith('+json')) return jsonLinks(JSON.parse(body.toString('utf8')));
  if (type.startsWith('text/') || type.endsWith('/xml') || type.endsWith('+xml')) return textLinks(body.toString('utf8'));
  return [];
}

/**
 * Fetches every path reachable from `startPaths` and writes it under `outDir`. A
 * response other than 2xx (or other than 404 for a not-found page) is recorded as a
 * failure, and the crawl goes on so that one run lists every broken URL. Paths under
 * /admin are never fetched. Throws only when `signal` aborts.
 */
export async function crawl(options: CrawlOptions): Promise<CrawlResult> {
  const { serverUrl, siteOrigin, outDir, signal } = options;
  const concurrency = options.concurrency ?? 4;
  const requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
  const existing = options.existingPaths ?? new Set<string>();

  const queue: QueueItem[] = [];
  const seen = new Set<string>();
  const writtenBy = new Map<string, string>();
  const failures: CrawlFailure[] = [];
  let done = 0;

  const enqueue = (path: string, foundOn: string): void => {
    const key = pathKey(path);
    if (isAdminPath(key) || seen.has(key) || existing.has(key)) return;
    seen.add(key);
    queue.push({ path, foundOn });
  };

  const fetchAndWrite = async (item: QueueItem): Promise<string[]> => {
    const timeout = AbortSignal.timeout(requestTimeoutMs);
    const response = await fetch(new URL(item.path, serverUrl), {
      redirect: 'manual',
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    });
    const expectedStatus = item.notFoundFile ? 404 : undefined;
    if (response.status >= 300 && response.status < 400) {
      await response.body?.cancel();
      throw new Error(
        `redirects (HTTP ${response.status}) to ${response.headers.get('location') ?? 'no location'}, which a static file cannot do, so pages should link to the target instead`,
      );
    }
    if (expectedStatus ? response.status !== expectedStatus : !response.ok) {
      await response.body?.cancel();
      throw new Error(`returned HTTP ${response.status}${expectedStatus ? `, expected ${expectedStatus}` : ''}`);
    }

    const contentType = response.headers.get('content-type') ?? '';
    if (item.notFoundFile && mediaType(contentType) !== 'text/html') {
      throw new Error(`returned ${contentType || 'no content type'}, expected an HTML not-found page`);
    }
    const body = Buffer.from(await response.arrayBuffer());
    const file = item.notFoundFile ?? outputFileFor(item.path, contentType);
    const previous = writtenBy.get(file);
    if (previous !== undefined) throw new Error(`maps to ${file}, which ${previous} already wrote`);
    writtenBy.set(file, item.path);

    const target = join(outDir, file);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, body);
    return linksIn(body, contentType);
  };

  const visit = async (item: QueueItem): Promise<void> => {
    try {
      const links = await fetchAndWrite(item);
      const base = new URL(item.path, serverUrl);
      for (const link of links) {
        const path = internalPath(link, base, [siteOrigin]);
        if (path !== undefined) enqueue(path, item.path);
      }
      for (const path of servicePagePaths(item.path)) enqueue(path, item.path);
    } catch (error) {
      if (signal?.aborted) return;
      let reason = error instanceof Error ? error.message : String(error);
      if (error instanceof Error && error.name === 'TimeoutError') reason = `timed out after ${requestTimeoutMs} ms`;
      failures.push({ path: item.path, foundOn: item.foundOn, reason });
    } finally {
      done += 1;
      options.onProgress?.({ done, total: seen.size, path: item.path });
    }
  };

  for (const page of options.notFoundPages ?? []) {
    seen.add(pathKey(page.path));
    queue.push({ path: page.path, foundOn: START_LIST, notFoundFile: page.file });
  }
  for (const path of options.startPaths) enqueue(path, START_LIST);

  // visit() never rejects, so Promise.race only waits for the next free slot.
  const active = new Set<Promise<void>>();
  while (queue.length > 0 || active.size > 0) {
    signal?.throwIfAborted();
    while (queue.length > 0 && active.size < concurrency) {
      const task: Promise<void> = visit(queue.shift()!).finally(() => active.delete(task));
      active.add(task);
    }
    await Promise.race(active);
  }
  signal?.throwIfAborted();

  return { files: [...writtenBy.keys()].sort(), failures };
}
