// Applies prisma/migrations/<provider>/*.sql in name order, each once, forward-only.
// Fed by DATABASE_URL (via server/env.ts); records applied files in the `_migrations` table.
import { applyMigrations } from '../server/repositories/migrations.repository';
import { databaseProvider, env } from '../server/env';

const applied = await applyMigrations(env.databaseUrl);
const where = databaseProvider() === 'sqlite' ? env.databaseUrl : env.databaseUrl.replace(/\/\/[^@]*@/, '//***@');
console.log(applied.length ? `migrations applied: ${applied.join(', ')} (${where})` : `database up to date (${where})`);
