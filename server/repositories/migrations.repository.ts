// The migrator: runs the versioned SQL files of prisma/migrations/<provider>/ against a database,
// each once, in name order, inside a transaction, and remembers them in `_migrations`.
// Fed by a database URL; returns the names it applied. Forward-only: a changed file is an error.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { databaseProvider, sqliteFilePath } from '../env';

const MIGRATIONS_ROOT = path.resolve(import.meta.dirname, '../../prisma/migrations');

interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export function readMigrations(provider: 'sqlite' | 'postgresql', root = MIGRATIONS_ROOT): Migration[] {
  const dir = path.join(root, provider);
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .map((name) => {
      const sql = fs.readFileSync(path.join(dir, name), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}

function plan(migrations: Migration[], done: Map<string, string>): Migration[] {
  for (const [name, checksum] of done) {
    const m = migrations.find((x) => x.name === name);
    if (m && m.checksum !== checksum) {
      throw new Error(`Migration ${name} was changed after it was applied; add a new migration instead.`);
    }
  }
  return migrations.filter((m) => !done.has(m.name));
}

export async function applyMigrations(url: string, root = MIGRATIONS_ROOT): Promise<string[]> {
  const provider = databaseProvider(url);
  const migrations = readMigrations(provider, root);
  return provider === 'sqlite' ? applySqlite(url, migrations) : applyPostgres(url, migrations);
}

function applySqlite(url: string, migrations: Migration[]): string[] {
  const file = sqliteFilePath(url);
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const sqlite = new Database(file, { timeout: 15_000 });
  try {
    sqlite.pragma('journal_mode = WAL');
    sqlite.exec('CREATE TABLE IF NOT EXISTS "_migrations" ("name" TEXT PRIMARY KEY, "checksum" TEXT NOT NULL, "appliedAt" TEXT NOT NULL)');
    const applied: string[] = [];
    // BEGIN IMMEDIATE takes the write lock first, so two migrators cannot both apply a file.
    const run = sqlite.transaction(() => {
      const rows = sqlite.prepare('SELECT name, checksum FROM "_migrations"').all() as { name: string; checksum: string }[];
      for (const m of plan(migrations, new Map(rows.map((r) => [r.name, r.checksum])))) {
        sqlite.exec(m.sql);
        sqlite
          .prepare('INSERT INTO "_migrations" (name, checksum, appliedAt) VALUES (?, ?, ?)')
          .run(m.name, m.checksum, new Date().toISOString());
        applied.push(m.name);
      }
    });
    run.immediate();
    return applied;
  } finally {
    sqlite.close();
  }
}

async function applyPostgres(url: string, migrations: Migration[]): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('BEGIN');
    // One migrator at a time across processes and machines.
    await client.query('SELECT pg_advisory_xact_lock(727274)');
    await client.query(
      'CREATE TABLE IF NOT EXISTS "_migrations" ("name" TEXT PRIMARY KEY, "checksum" TEXT NOT NULL, "appliedAt" TIMESTAMPTZ NOT NULL)',
    );
    const { rows } = await client.query<{ name: string; checksum: string }>('SELECT name, checksum FROM "_migrations"');
    const applied: string[] = [];
    for (const m of plan(migrations, new Map(rows.map((r) => [r.name, r.checksum])))) {
      await client.query(m.sql);
      await client.query('INSERT INTO "_migrations" (name, checksum, "appliedAt") VALUES ($1, $2, now())', [m.name, m.checksum]);
      applied.push(m.name);
    }
    await client.query('COMMIT');
    return applied;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}
