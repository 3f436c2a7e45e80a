// The credit ledger on a real sqlite database (see credits.cases.ts).
import { afterAll, describe } from 'vitest';
import { useDatabase } from '../../e2e/support/use-database';
import { creditCases } from './credits.cases';

const cleanup = await useDatabase('sqlite');
afterAll(cleanup);

describe('credit ledger on sqlite', creditCases);
