// Adds an admin-area user from the command line. The password is read from standard
// input so that it never appears in the shell history or the process list.
//   npm run user:add -- --email name@example.gc.ca --role publisher < password.txt
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { config } from '../src/lib/config.ts';
import { openDatabase } from '../src/lib/db/client.ts';
import { ValidationError } from '../src/lib/errors.ts';
import { ROLES } from '../src/lib/vocabulary.ts';
import { addUser } from '../src/lib/services/users.ts';

const usage = `Usage: npm run user:add -- --email EMAIL --role ${ROLES.join('|')}  (password on standard input)`;

async function readPassword(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write('Password (input is shown; pipe it in to hide it): ');
  const lines = createInterface({ input: process.stdin, terminal: false });
  for await (const line of lines) {
    lines.close();
    return line;
  }
  return '';
}

async function main(): Promise<number> {
  let values: { email?: string | undefined; role: string; help?: boolean | undefined };
  try {
    ({ values } = parseArgs({ options: { email: { type: 'string' }, role: { type: 'string', default: 'publisher' }, help: { type: 'boolean' } } }));
  } catch (error) {
    console.error(`${(error as Error).message}\n${usage}`);
    return 2;
  }
  if (values.help) {
    console.log(usage);
    return 0;
  }
  if (!values.email) {
    console.error(`Missing --email.\n${usage}`);
    return 2;
  }
  const password = await readPassword();
  const db = openDatabase(config().databasePath);
  try {
    const id = await addUser(db, { id: null, email: 'command line', role: 'admin' }, { email: values.email, password, role: values.role });
    console.log(`Added user ${id}: ${values.email.trim().toLowerCase()} (${values.role}).`);
    return 0;
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    const messages: Record<string, string> = {
      'errors.email': 'is not a valid email address',
      'errors.emailTaken': 'is already in use by another account',
      'errors.passwordShort': 'is too short (at least 12 characters)',
      'errors.tooLong': 'is too long',
      'errors.invalidChoice': `must be one of ${ROLES.join(', ')}`,
      'errors.required': 'is missing',
    };
    for (const [field, key] of Object.entries(error.fieldErrors)) console.error(`Invalid ${field}: it ${messages[key] ?? key}.`);
    console.error(usage);
    return 1;
  } finally {
    db.$client.close();
  }
}

process.exitCode = await main();
