-- The reframe: step warnings (e.g. reframe_llm falling back to the heuristic), one-shot job
-- callbacks, charges and idempotency keys, and each account's webhook signing secret.
ALTER TABLE "steps" ADD COLUMN "warnings" TEXT;
ALTER TABLE "reframe_jobs" ADD COLUMN "callbackUrl" TEXT;
ALTER TABLE "reframe_jobs" ADD COLUMN "creditsCharged" INTEGER;
ALTER TABLE "accounts" ADD COLUMN "webhookSecret" TEXT;
ALTER TABLE "reframe_jobs" ADD COLUMN "idempotencyKey" TEXT;
CREATE INDEX "reframe_jobs_videoId_idx" ON "reframe_jobs"("videoId");
-- A repeated POST /reframe with the same Idempotency-Key header returns the first job.
CREATE UNIQUE INDEX "reframe_jobs_accountId_idempotencyKey_key" ON "reframe_jobs"("accountId", "idempotencyKey");
