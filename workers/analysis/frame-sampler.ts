// The server's frame sampling without ffmpeg: keeps the first frame of every 1/fps slot, exactly as
// samplingExpression's `select` does, for frame sources that see every decoded frame themselves (the
// browser preview's WebCodecs decoder). Fed presentation times in order; answers keep or skip.

export class FrameSampler {
  private previous = NaN;

  constructor(private readonly fps: number) {
    if (!(fps > 0)) throw new RangeError('FrameSampler: fps must be positive');
  }

  /** isnan(prev_selected_t) + gte(floor(t·fps), floor(prev_selected_t·fps) + 1). */
  keep(timestamp: number): boolean {
    const keep = Number.isNaN(this.previous) || Math.floor(timestamp * this.fps) >= Math.floor(this.previous * this.fps) + 1;
    if (keep) this.previous = timestamp;
    return keep;
  }
}
