import { describe, expect, it } from 'vitest';
import { probeDatabase } from '../../src/lib/security/health.ts';
import { isStopping, markStopping, onShutdown, runShutdownHooks } from '../../src/lib/security/lifecycle.ts';
import { freshDb } from './helpers.ts';

describe('probeDatabase', () => {
  it('passes when select 1 responds', () => {
    const db = freshDb();
    expect(probeDatabase(() => db)).toEqual({ ok: true });
  });

  it('fails on a closed connection', () => {
    const db = freshDb();
    db.$client.close();
    const health = probeDatabase(() => db);
    expect(health.ok).toBe(false);
    const error = health.ok ? undefined : health.error;
    expect(String(error)).toMatch(/not open/);
  });

  it('fails when the connection cannot be opened', () => {
    const health = probeDatabase(() => {
      throw new Error('unable to open database file');
    });
    expect(health).toMatchObject({ ok: false, error: new Error('unable to open database file') });
  });
});

describe('shutdown hooks', () => {
  it('run once, in order, and report failures without stopping the rest', async () => {
    const calls: string[] = [];
    onShutdown('first', () => {
      calls.push('first');
    });
    onShutdown('failing', () => {
      throw new Error('close failed');
    });
    onShutdown('last', async () => {
      calls.push('last');
    });

    const failures = await runShutdownHooks();
    expect(calls).toEqual(['first', 'last']);
    expect(failures).toEqual([{ name: 'failing', error: new Error('close failed') }]);
    expect(await runShutdownHooks()).toEqual([]);
    expect(calls).toEqual(['first', 'last']);
  });

  it('keep the latest hook registered under a name', async () => {
    const calls: string[] = [];
    onShutdown('database', () => {
      calls.push('old');
    });
    onShutdown('database', () => {
      calls.push('new');
    });
    await runShutdownHooks();
    expect(calls).toEqual(['new']);
  });

  it('mark the process as stopping', () => {
    expect(isStopping()).toBe(false);
    markStopping();
    expect(isStopping()).toBe(true);
  });
});
