// Ledger behaviour shared by the SQLite and PostgreSQL test files: charge-once under concurrency,
// no overdraft under concurrent charges of different videos, balance = sum of entries.
import { expect, it } from 'vitest';

export function creditCases() {
  const load = async () => {
    const { creditsRepository } = await import('./credits.repository');
    const { createAccountWithGrant } = await import('./accounts.repository');
    const account = await createAccountWithGrant(`u${Math.random()}@x.test`, null, 300);
    return { creditsRepository, account };
  };

  it('charges once for one key however many requests race', async () => {
    const { creditsRepository, account } = await load();
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, () =>
        creditsRepository.charge({
          accountId: account.id,
          amount: 42,
          reason: 'video_download',
          idempotencyKey: `video:v-${account.id}`,
          videoId: 'v',
          seconds: 42,
        }),
      ),
    );
    expect(outcomes.filter((o) => o.kind === 'charged')).toHaveLength(1);
    expect(outcomes.filter((o) => o.kind === 'already_charged')).toHaveLength(19);
    expect(await creditsRepository.balance(account.id)).toBe(258);
    const entries = await creditsRepository.recent(account.id);
    expect(entries.map((e) => e.amount).sort()).toEqual([-42, 300].sort());
  });

  it('never overdraws when different charges race for the last credits', async () => {
    const { creditsRepository, account } = await load();
    const outcomes = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        creditsRepository.charge({
          accountId: account.id,
          amount: 100,
          reason: 'video_download',
          idempotencyKey: `video:${account.id}-${i}`,
        }),
      ),
    );
    expect(outcomes.filter((o) => o.kind === 'charged')).toHaveLength(3);
    expect(outcomes.filter((o) => o.kind === 'insufficient')).toHaveLength(7);
    const balance = await creditsRepository.balance(account.id);
    expect(balance).toBe(0);
    const entries = await creditsRepository.recent(account.id, 100);
    expect(entries.reduce((s, e) => s + e.amount, 0)).toBe(balance);
  });

  it('append is idempotent per key', async () => {
    const { creditsRepository, account } = await load();
    const a = await creditsRepository.append({ accountId: account.id, amount: 50, reason: 'grant', idempotencyKey: `g-${account.id}` });
    const b = await creditsRepository.append({ accountId: account.id, amount: 50, reason: 'grant', idempotencyKey: `g-${account.id}` });
    expect(b.id).toBe(a.id);
    expect(await creditsRepository.balance(account.id)).toBe(350);
  });
}
