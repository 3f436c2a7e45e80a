// Adds credits to an account (admin CLI). A negative amount is a correction; the reason is kept.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { creditsRepository } from '../../repositories/credits.repository';

const Grant = z.object({
  amount: z
    .number()
    .int()
    .refine((n) => n !== 0, 'Amount must not be zero.'),
  reason: z.string().trim().min(1).max(200),
});

export async function grantCredits(accountId: string, amount: number, reason: string, idempotencyKey = `grant:${randomUUID()}`) {
  const g = Grant.parse({ amount, reason });
  await creditsRepository.append({ accountId, amount: g.amount, reason: g.reason, idempotencyKey });
  return creditsRepository.balance(accountId);
}
