// The signed-in account's videos for the dashboard: list and get (with steps and progress, polled
// while something runs), ingest a URL, start an analysis or a reframe, retry a failed step, read an
// analysis result or the crop path, and pay for the downloads (the cost, then the balance after).
// Uploads go to POST /api/dashboard/upload; every call here is one of the REST API's services.
import { z } from 'zod';
import { IngestUrlRequest } from '../../contracts/api';
import { ModelType, TransformType } from '../../contracts/steps';
import { isVideoPaid } from '../../services/credits/charge-video';
import { purchaseVideo } from '../../services/credits/purchase-video';
import { getCropPath } from '../../services/videos/get-crop-path';
import { getResult } from '../../services/videos/get-result';
import { getOwnedVideo } from '../../services/videos/get-video';
import { ingestUrl } from '../../services/videos/ingest-url';
import { listVideos } from '../../services/videos/list-videos';
import { retryStep } from '../../services/videos/retry-step';
import { startStep } from '../../services/videos/start-step';
import { toVideoView } from '../../services/videos/video-view';
import { createTRPCRouter, protectedProcedure } from '../init';

const VideoId = z.string().min(1).max(100);
const Parameters = z.record(z.string(), z.unknown()).optional();

export const videosRouter = createTRPCRouter({
  list: protectedProcedure
    .input(z.object({ cursor: z.string().max(100).optional() }).optional())
    .query(({ ctx, input }) => listVideos(ctx.account.id, 50, input?.cursor)),

  get: protectedProcedure.input(z.object({ id: VideoId })).query(async ({ ctx, input }) => {
    const video = await getOwnedVideo(ctx.account.id, input.id);
    return { ...toVideoView(video), paid: await isVideoPaid(video.id) };
  }),

  ingestUrl: protectedProcedure.input(IngestUrlRequest).mutation(({ ctx, input }) => ingestUrl(ctx.account.id, input.url)),

  analyze: protectedProcedure
    .input(z.object({ id: VideoId, model_type: ModelType, parameters: Parameters }))
    .mutation(({ ctx, input }) =>
      startStep(ctx.account.id, { video_id: input.id, model_type: input.model_type, parameters: input.parameters }),
    ),

  transform: protectedProcedure
    .input(z.object({ id: VideoId, transform_type: TransformType, parameters: Parameters }))
    .mutation(({ ctx, input }) =>
      startStep(ctx.account.id, { video_id: input.id, transform_type: input.transform_type, parameters: input.parameters }),
    ),

  retry: protectedProcedure
    .input(z.object({ id: VideoId, step: z.string().min(1).max(64) }))
    .mutation(({ ctx, input }) => retryStep(ctx.account.id, input.id, input.step)),

  result: protectedProcedure
    .input(z.object({ id: VideoId, model_type: ModelType }))
    .query(({ ctx, input }) => getResult(ctx.account.id, input.id, input.model_type)),

  /** The stored crop path of the last reframe, for the editor (null before the first reframe). */
  cropPath: protectedProcedure.input(z.object({ id: VideoId })).query(({ ctx, input }) => getCropPath(ctx.account.id, input.id)),

  /** Charges the video's downloads once (no-op when already paid) and returns the balance after. */
  purchase: protectedProcedure.input(z.object({ id: VideoId })).mutation(({ ctx, input }) => purchaseVideo(ctx.account.id, input.id)),
});
