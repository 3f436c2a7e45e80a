// Which errors count as "the database is not reachable": the shapes Prisma, its pg and SQLite
// adapters and node:net really produce (captured from a pg client against a closed port), and the
// ones that must stay a 500.
import { describe, expect, it } from 'vitest';
import { isDatabaseUnavailable } from './database-unavailable';

const prisma = (code: string, meta?: unknown) => Object.assign(new Error('Invalid `db.account.findFirst()` invocation'), { code, meta });

describe('isDatabaseUnavailable', () => {
  it.each([
    ['P1001 with an adapter DatabaseNotReachable', prisma('P1001', { driverAdapterError: { cause: { kind: 'DatabaseNotReachable' } } })],
    ['P1017 (server closed the connection)', prisma('P1017')],
    ['P2024 (pool timeout)', prisma('P2024')],
    ['an adapter ConnectionClosed under another code', prisma('P2010', { driverAdapterError: { cause: { kind: 'ConnectionClosed' } } })],
    ["pg's unwrapped connection loss", new Error('Connection terminated unexpectedly')],
    [
      'a refused socket as the cause',
      new Error('query failed', { cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }) }),
    ],
    ['PostgreSQL shutting down', new Error('terminating connection due to administrator command')],
    ['SQLite locked past its busy timeout', Object.assign(new Error('SQLITE_BUSY: database is locked'), { code: 'SQLITE_BUSY' })],
  ])('is true for %s', (_name, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it.each([
    ['a unique violation', prisma('P2002')],
    ['a record not found', prisma('P2025')],
    ['a programming error', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['a JSON parse error', new SyntaxError('Unexpected token b in JSON at position 12')],
    ['nothing', undefined],
    ['a string', 'ECONNREFUSED'],
  ])('is false for %s', (_name, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });
});
