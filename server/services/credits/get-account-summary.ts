// The account as the API shows it: email, derived balance and the most recent ledger entries.
import type { LedgerEntryView } from '../../contracts/api';
import { creditsRepository } from '../../repositories/credits.repository';

export async function getAccountSummary(account: { id: string; email: string }, take = 50) {
  const [balance, entries] = await Promise.all([creditsRepository.balance(account.id), creditsRepository.recent(account.id, take)]);
  const ledger: LedgerEntryView[] = entries.map((e) => ({
    id: e.id,
    amount: e.amount,
    reason: e.reason,
    video_id: e.videoId,
    seconds: e.seconds,
    created_at: e.createdAt.toISOString(),
  }));
  return { email: account.email, balance, ledger };
}
