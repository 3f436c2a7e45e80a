// Admin CLI for headless installs: `npm run admin -- create-key --email E [--name N]` and
// `npm run admin -- grant-credits --email E --amount N --reason TEXT`. Applies migrations first.
// create-key prints the new key alone on the last line of stdout.
import { parseArgs } from 'node:util';
import { env } from '../server/env';
import { applyMigrations } from '../server/repositories/migrations.repository';
import { ensureAccount } from '../server/services/accounts/ensure-account';
import { grantCredits } from '../server/services/credits/grant-credits';
import { createApiKey } from '../server/services/keys/create-api-key';

const USAGE = `usage:
  npm run admin -- create-key --email EMAIL [--name NAME]
  npm run admin -- grant-credits --email EMAIL --amount N --reason TEXT`;

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

const [command, ...rest] = process.argv.slice(2);
const { values } = parseArgs({
  args: rest,
  options: { email: { type: 'string' }, name: { type: 'string' }, amount: { type: 'string' }, reason: { type: 'string' } },
  strict: true,
});
if (!values.email) fail(USAGE);
await applyMigrations(env.databaseUrl);

try {
  if (command === 'create-key') {
    const { account, created } = await ensureAccount(values.email);
    if (created) console.log(`created account ${account.email} with ${env.SIGNUP_CREDITS} credits`);
    const { key, secret } = await createApiKey(account.id, values.name ?? 'cli');
    console.log(`created API key "${key.name}" (${key.prefix}…) for ${account.email}`);
    console.log(secret);
  } else if (command === 'grant-credits') {
    const amount = Number(values.amount);
    if (!Number.isInteger(amount) || amount === 0) fail('--amount must be a non-zero integer');
    if (!values.reason) fail('--reason is required');
    const { account } = await ensureAccount(values.email);
    const balance = await grantCredits(account.id, amount, values.reason);
    console.log(`granted ${amount} credits to ${account.email}; balance ${balance}`);
  } else {
    fail(USAGE);
  }
} catch (error) {
  fail(`admin: ${(error as Error).message}`);
}
process.exit(0);
