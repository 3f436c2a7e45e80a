-- The reframe: step warnings (e.g. reframe_llm falling back to the heuristic), one-shot job
-- callbacks and charges, and each account's webhook signing secret.
ALTER TABLE "steps" ADD COLUMN "warnings" TEXT;
ALTER TABLE "reframe_jobs" ADD COLUMN "callbackUrl" TEXT;
ALTER TABLE "reframe_jobs" ADD COLUMN "creditsCharged" INTEGER;
ALTER TABLE "accounts" ADD COLUMN "webhookSecret" TEXT;
CREATE INDEX "reframe_jobs_videoId_idx" ON "reframe_jobs"("videoId");
