// The database probe behind /healthz.

/** The part of a better-sqlite3 connection the probe uses. */
export interface Probeable {
  $client: { prepare(sql: string): { get(): unknown } };
}

export type DatabaseHealth = { ok: true } | { ok: false; error: unknown };

/** Runs `select 1` on the connection that `connect` returns. An error while opening it is a failure too. */
export function probeDatabase(connect: () => Probeable): DatabaseHealth {
  try {
    const row = connect().$client.prepare('select 1 as one').get() as { one?: unknown } | undefined;
    return row?.one === 1 ? { ok: true } : { ok: false, error: new Error(`select 1 returned ${JSON.stringify(row)}`) };
  } catch (error) {
    return { ok: false, error };
  }
}
