// The Prisma client: SQLite through better-sqlite3 by default, PostgreSQL through pg when
// DATABASE_URL says so. Both clients are generated from one schema (scripts/prisma-generate.sh),
// so the rest of the code sees one type. One instance per process (kept on globalThis so the
// Next.js bundle and the worker share it when they run in the same process).
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient as SqliteClient } from './generated/sqlite/client';
import { PrismaClient as PostgresClient } from './generated/postgresql/client';
import { databaseProvider, env, sqliteFilePath } from './env';

export type Db = SqliteClient;
export type { Prisma } from './generated/sqlite/client';

export function createDb(url = env.databaseUrl): Db {
  if (databaseProvider(url) === 'postgresql') {
    const adapter = new PrismaPg({ connectionString: url, max: 10 });
    return new PostgresClient({ adapter }) as unknown as Db;
  }
  // WAL is set by the migrator; the busy timeout lets the web process and the worker share the file.
  const adapter = new PrismaBetterSqlite3({ url: sqliteFilePath(url), timeout: 15_000 });
  return new SqliteClient({ adapter });
}

const holder = globalThis as unknown as { __reframeDb?: Db };
export const db: Db = (holder.__reframeDb ??= createDb());

/** True when `error` is a unique-constraint violation (Prisma P2002), whichever driver raised it. */
export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; message?: string } | null;
  return e?.code === 'P2002' || /UNIQUE constraint failed|duplicate key value/i.test(e?.message ?? '');
}
