// Points this test file's process at a fresh, migrated database before the app modules load:
// call `await useDatabase('sqlite' | 'postgresql')` at the top of a test file, then import the
// modules under test dynamically. Returns a cleanup function for afterAll.
import { createPostgresDatabase, tempSqliteUrl } from './databases';

export async function useDatabase(provider: 'sqlite' | 'postgresql'): Promise<() => Promise<void>> {
  // Imported only now: server/env.ts reads DATABASE_URL once, when first loaded.
  const applyMigrations = async (url: string) => (await import('../../server/repositories/migrations.repository')).applyMigrations(url);
  if (provider === 'sqlite') {
    const url = tempSqliteUrl();
    process.env.DATABASE_URL = url;
    await applyMigrations(url);
    return async () => undefined;
  }
  const database = await createPostgresDatabase();
  process.env.DATABASE_URL = database.url;
  await applyMigrations(database.url);
  return async () => {
    const { db } = await import('../../server/db');
    await db.$disconnect();
    await database.drop();
  };
}
