import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLog } from '../../src/lib/log.ts';
import { currentRequestId, newRequestId, runOutsideRequest, runWithRequestId } from '../../src/lib/security/request-context.ts';

/** Creates a logger that keeps its JSON lines in `lines`. */
function capturingLog() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { log: createLog(destination, 'debug'), lines, text: () => JSON.stringify(lines) };
}

describe('application log', () => {
  it('redacts passwords, tokens and cookies', () => {
    const { log, lines, text } = capturingLog();
    log.info(
      {
        password: 'secret-password-1',
        form: { password: 'secret-password-2', passwordConfirm: 'secret-password-3' },
        token: 'secret-token-1',
        session: { token: 'secret-token-2' },
        cookie: 'status_session=secret-cookie-1',
      },
      'sign-in attempt',
    );
    expect(lines).toHaveLength(1);
    expect(text()).not.toMatch(/secret-/);
    expect(lines[0]?.password).toBe('[redacted]');
  });

  it('redacts cookie, authorization and set-cookie headers', () => {
    const { log, text } = capturingLog();
    const headers = { cookie: 'status_session=secret-cookie-2', authorization: 'Bearer secret-token-3', 'set-cookie': 'status_session=secret-cookie-3', host: 'localhost' };
    log.info({ headers, req: { headers }, res: { headers }, 'set-cookie': 'secret-cookie-4' }, 'request');
    expect(text()).not.toMatch(/secret-/);
    expect(text()).toContain('localhost');
  });

  it('keeps fields that are not secrets', () => {
    const { log, lines } = capturingLog();
    log.warn({ email: 'someone@example.gc.ca', userId: 7 }, 'failed sign-in');
    expect(lines[0]).toMatchObject({ email: 'someone@example.gc.ca', userId: 7, msg: 'failed sign-in' });
  });

  it('adds the request id inside a request only', () => {
    const { log, lines } = capturingLog();
    const requestId = newRequestId();
    log.info('before');
    runWithRequestId(requestId, () => log.info('during'));
    runWithRequestId(requestId, () => runOutsideRequest(() => log.info('outside')));
    expect(lines.map((line) => line.requestId)).toEqual([undefined, requestId, undefined]);
  });
});

describe('request context', () => {
  it('creates distinct UUIDs', () => {
    const first = newRequestId();
    expect(first).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(newRequestId()).not.toBe(first);
  });

  it('keeps the id across awaits', async () => {
    const requestId = newRequestId();
    const seen = await runWithRequestId(requestId, async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      return currentRequestId();
    });
    expect(seen).toBe(requestId);
    expect(currentRequestId()).toBeUndefined();
  });

  it('keeps concurrent requests apart', async () => {
    const ids = [newRequestId(), newRequestId()];
    const seen = await Promise.all(
      ids.map((id, index) =>
        runWithRequestId(id, async () => {
          await new Promise((resolve) => setTimeout(resolve, 10 - index * 5));
          return currentRequestId();
        }),
      ),
    );
    expect(seen).toEqual(ids);
  });
});
