// Turns decoded VideoFrames into what the analysis worker takes (protocol.ts AnalysisFrame), at the
// server's sizes and rates: every frame at 96 px for scenes, the first frame of every 1/10 s at the face
// detector's 192 px, the first of every 1/12.5 s for the face mesh (the decoder's own YUV when the frame
// is no larger than 1280 px, as the server meshes; else RGBA scaled down to 1280). From I420 frames the
// small pictures are made in JS (yuv-downscale.ts); other formats are drawn on a canvas. Runs in the page.
import { FACE_DEFAULTS, SCENE_DEFAULTS, SPEAKER_DEFAULTS } from '../analysis/analysis-settings';
import { BLAZEFACE_VARIANTS } from '../analysis/blazeface';
import { analysisSize } from '../analysis/frame-decoding';
import { FrameSampler } from '../analysis/frame-sampler';
import { downscaleYuv420ToRgba, sampleYuv420ToRgba } from '../analysis/yuv-downscale';
import type { AnalysisFrame, MeshImage, RgbaImage } from './protocol';

type Size = { width: number; height: number };

export class AnalysisFrames {
  private readonly faceSampler = new FrameSampler(FACE_DEFAULTS.sample_fps);
  private readonly meshSampler = new FrameSampler(SPEAKER_DEFAULTS.reframe_sample_fps);
  private readonly scene: Scaler;
  private readonly face: Scaler;
  private readonly meshSize: Size;
  private meshScaler: Scaler | null = null;
  /** The bytes of frames that are not sent whole (1.4 MB a 720p frame: not one allocation per frame). */
  private scratch: Uint8Array | null = null;

  constructor(source: Size) {
    this.face = new Scaler(analysisSize(source.width, source.height, BLAZEFACE_VARIANTS.full.inputSize), 'high');
    this.scene = new Scaler(analysisSize(source.width, source.height, SCENE_DEFAULTS.side), 'medium');
    this.meshSize = analysisSize(source.width, source.height, SPEAKER_DEFAULTS.side);
  }

  /** The worker's frame and the buffers to transfer with it. Does not close `video`. */
  async make(frame: number, timestamp: number, video: VideoFrame): Promise<{ frame: AnalysisFrame; transfer: ArrayBuffer[] }> {
    const wantFace = this.faceSampler.keep(timestamp);
    const wantMesh = this.meshSampler.keep(timestamp);
    // A mesh frame's bytes go to the worker; the others' are read here only, into one reused buffer.
    const yuv = await this.i420(video, !wantMesh);
    let out: AnalysisFrame;
    if (yuv) {
      // The decoder's own YUV, averaged down in JS: a canvas draw would convert the whole frame to RGB.
      const { width, height, data } = yuv;
      const { size: scene } = this.scene;
      const { size: face } = this.face;
      // Sampled for scenes, averaged for faces, as the server's ffmpeg scales them (yuv-downscale.ts).
      out = { frame, timestamp, scene: { ...scene, data: sampleYuv420ToRgba(data, width, height, scene.width, scene.height) } };
      if (wantFace) out.face = { ...face, data: downscaleYuv420ToRgba(data, width, height, face.width, face.height) };
      if (wantMesh)
        out.mesh = width === this.meshSize.width && height === this.meshSize.height ? { format: 'I420', ...yuv } : this.meshRgba(video);
    } else {
      // The full frame is converted and scaled once, to the face size; the scene picture comes from that.
      const face = this.face.draw(video);
      out = { frame, timestamp, scene: this.scene.draw(this.face.canvas) };
      if (wantFace) out.face = face;
      if (wantMesh) out.mesh = this.meshRgba(video);
    }
    const transfer = [out.scene.data.buffer, out.face?.data.buffer, out.mesh?.data.buffer].filter(
      (b): b is ArrayBuffer => b instanceof ArrayBuffer,
    );
    return { frame: out, transfer };
  }

  /** The frame's planar YUV 4:2:0 bytes, when the decoder gives that format at an even size. */
  private async i420(video: VideoFrame, reuse: boolean): Promise<{ width: number; height: number; data: Uint8Array } | null> {
    const { displayWidth: width, displayHeight: height } = video;
    // copyTo copies the visible rectangle, so a coded size padded to whole macroblocks does not matter.
    if (video.format !== 'I420' || width % 2 || height % 2) return null;
    const bytes = width * height * 1.5;
    if (reuse && this.scratch?.length !== bytes) this.scratch = new Uint8Array(bytes);
    const data = reuse ? this.scratch! : new Uint8Array(bytes);
    await video.copyTo(data, {
      layout: [
        { offset: 0, stride: width },
        { offset: width * height, stride: width / 2 },
        { offset: width * height * 1.25, stride: width / 2 },
      ],
    });
    return { width, height, data };
  }

  /** The mesh picture drawn on a canvas: frames that are not I420 or larger than the mesh size. */
  private meshRgba(video: VideoFrame): MeshImage {
    this.meshScaler ??= new Scaler(this.meshSize, 'high');
    return { format: 'RGBA', ...this.meshScaler.draw(video) };
  }
}

/** Draws frames at one size and reads their pixels back. */
class Scaler {
  private readonly context: OffscreenCanvasRenderingContext2D;
  readonly canvas: OffscreenCanvas;

  constructor(
    readonly size: Size,
    quality: ImageSmoothingQuality,
  ) {
    const canvas = new OffscreenCanvas(size.width, size.height);
    this.canvas = canvas;
    const context = canvas.getContext('2d', { willReadFrequently: true });
    if (!context) throw new Error('no 2D canvas');
    context.imageSmoothingQuality = quality;
    this.context = context;
  }

  draw(source: CanvasImageSource): RgbaImage {
    const { width, height } = this.size;
    this.context.drawImage(source, 0, 0, width, height);
    const image = this.context.getImageData(0, 0, width, height);
    return { width, height, data: image.data };
  }
}
