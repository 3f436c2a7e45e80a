// Unit tests for the pure intake checks: argument lists, and readers of ffprobe JSON, -progress and stderr.
// Fed by hand-written samples shaped like ffprobe 5.1 output; returns nothing (vitest assertions).
// The real tools run in server/repositories/media-probe.repository.int.test.ts.
import { describe, expect, it } from 'vitest';
import {
  decodeCheckArgs,
  decodedFrameCount,
  ffprobeArgs,
  parseProbe,
  thumbnailArgs,
  thumbnailTime,
  toolMessage,
  type ProbeResult,
} from './media-probe';

type Json = Record<string, unknown>;

function h264(extra: Json = {}): Json {
  return {
    index: 0,
    codec_name: 'h264',
    codec_type: 'video',
    width: 320,
    height: 240,
    r_frame_rate: '25/1',
    avg_frame_rate: '25/1',
    duration: '4.000000',
    nb_frames: '100',
    disposition: { default: 1, attached_pic: 0 },
    tags: { language: 'und', handler_name: 'VideoHandler' },
    ...extra,
  };
}

function aac(extra: Json = {}): Json {
  return {
    index: 1,
    codec_name: 'aac',
    codec_type: 'audio',
    r_frame_rate: '0/0',
    avg_frame_rate: '0/0',
    duration: '4.000000',
    nb_frames: '174',
    disposition: { default: 1, attached_pic: 0 },
    ...extra,
  };
}

function mp4(streams: Json[], format: Json = {}): Json {
  return {
    streams,
    format: {
      filename: '/srv/data/videos/abc/source.mp4',
      nb_streams: streams.length,
      format_name: 'mov,mp4,m4a,3gp,3g2,mj2',
      duration: '4.000000',
      size: '400613',
      ...format,
    },
  };
}

function reason(result: ProbeResult): string {
  if (result.ok) throw new Error(`expected a failure, got ${JSON.stringify(result.media)}`);
  return result.reason;
}

describe('ffprobeArgs', () => {
  it('asks for format and streams as JSON, errors only', () => {
    expect(ffprobeArgs('/tmp/in.mp4')).toEqual(['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', '/tmp/in.mp4']);
  });
});

describe('parseProbe', () => {
  it('reads a plain h264/aac mp4', () => {
    expect(parseProbe(mp4([h264(), aac()]))).toEqual({
      ok: true,
      media: {
        duration: 4,
        fps: 25,
        frames: 100,
        width: 320,
        height: 240,
        videoCodec: 'h264',
        audioCodec: 'aac',
        formatName: 'mov,mp4,m4a,3gp,3g2,mj2',
        sizeBytes: 400613,
        startTime: 0,
        rotation: 0,
      },
    });
  });

  it('skips cover art and takes the first real video stream', () => {
    const cover = h264({ codec_name: 'mjpeg', width: 600, height: 600, disposition: { attached_pic: 1 } });
    const result = parseProbe(mp4([cover, h264({ codec_name: 'hevc', index: 1 })]));
    expect(result.ok && result.media.videoCodec).toBe('hevc');
  });

  it('has no audio codec for a silent video', () => {
    const result = parseProbe(mp4([h264()]));
    expect(result.ok && result.media.audioCodec).toBeNull();
  });

  it('prefers avg_frame_rate and falls back to r_frame_rate', () => {
    const ntsc = parseProbe(mp4([h264({ avg_frame_rate: '30000/1001', nb_frames: '120' })]));
    expect(ntsc.ok && ntsc.media.fps).toBeCloseTo(29.97, 2);
    const fallback = parseProbe(mp4([h264({ avg_frame_rate: '0/0', r_frame_rate: '24000/1001' })]));
    expect(fallback.ok && fallback.media.fps).toBeCloseTo(23.976, 3);
  });

  it('does not take a container tick rate for a frame rate', () => {
    expect(reason(parseProbe(mp4([h264({ avg_frame_rate: '0/0', r_frame_rate: '90000/1' })])))).toBe(
      'The video’s frame rate could not be determined.',
    );
  });

  it('reads the container start time (MPEG-TS clocks do not start at 0)', () => {
    const r = parseProbe(mp4([h264(), aac()], { format_name: 'mpegts', start_time: '1.400000' }));
    expect(r.ok && r.media.startTime).toBe(1.4);
  });

  it('counts frames from duration × fps when nb_frames is missing', () => {
    // Matroska/WebM streams carry neither nb_frames nor a duration of their own.
    const result = parseProbe(
      mp4([h264({ nb_frames: undefined, duration: undefined, avg_frame_rate: '30000/1001' })], {
        format_name: 'matroska,webm',
        duration: '10.010000',
      }),
    );
    expect(result.ok && result.media.frames).toBe(300);
    expect(result.ok && result.media.duration).toBe(10.01);
  });

  it('falls back to the stream duration when the container has none', () => {
    const result = parseProbe(mp4([h264({ duration: '7.5' })], { duration: undefined, size: undefined }));
    expect(result.ok && result.media.duration).toBe(7.5);
    expect(result.ok && result.media.sizeBytes).toBeNull();
  });

  it('swaps width and height for a sideways display matrix', () => {
    const phone = h264({
      width: 1920,
      height: 1080,
      side_data_list: [{ side_data_type: 'Display Matrix', displaymatrix: '…', rotation: -90 }],
    });
    const result = parseProbe(mp4([phone]));
    expect(result.ok && result.media).toMatchObject({ width: 1080, height: 1920, rotation: -90 });
  });

  it('reads the older clockwise rotate tag in the display-matrix sense', () => {
    const result = parseProbe(mp4([h264({ tags: { rotate: '90' } })]));
    expect(result.ok && result.media).toMatchObject({ width: 240, height: 320, rotation: -90 });
    const flipped = parseProbe(mp4([h264({ tags: { rotate: '180' } })]));
    expect(flipped.ok && flipped.media).toMatchObject({ width: 320, height: 240, rotation: 180 });
  });

  it('treats a rotation that is not a right angle as none', () => {
    const result = parseProbe(mp4([h264({ side_data_list: [{ rotation: 45 }] })]));
    expect(result.ok && result.media).toMatchObject({ width: 320, height: 240, rotation: 0 });
  });

  it('rejects what is not a media file', () => {
    const notMedia = 'The file contains no audio or video streams; it does not look like a media file.';
    expect(reason(parseProbe({}))).toBe(notMedia);
    expect(reason(parseProbe(null))).toBe(notMedia);
    expect(reason(parseProbe('text'))).toBe(notMedia);
    expect(reason(parseProbe(mp4([])))).toBe(notMedia);
  });

  it('rejects audio only, including audio with cover art', () => {
    expect(reason(parseProbe(mp4([aac()])))).toBe('The file has no video stream (audio only).');
    const cover = h264({ codec_name: 'mjpeg', disposition: { attached_pic: 1 } });
    expect(reason(parseProbe(mp4([aac(), cover])))).toBe('The file has no video stream (audio only).');
    expect(reason(parseProbe(mp4([{ codec_type: 'subtitle', codec_name: 'mov_text' }])))).toBe('The file has no video stream.');
  });

  it('rejects a video codec ffprobe could not name', () => {
    expect(reason(parseProbe(mp4([h264({ codec_name: undefined })])))).toMatch(/could not be identified/);
  });

  it('rejects zero, tiny and huge pictures', () => {
    expect(reason(parseProbe(mp4([h264({ width: 0, height: 0 })])))).toBe('The video’s picture size could not be determined.');
    expect(reason(parseProbe(mp4([h264({ width: 1, height: 1 })])))).toBe(
      'The video’s picture size (1×1 px) is not supported: each side must be between 2 and 16384 pixels.',
    );
    expect(reason(parseProbe(mp4([h264({ width: 32768, height: 240 })])))).toMatch(/32768×240 px/);
    expect(parseProbe(mp4([h264({ width: 16384, height: 2 })])).ok).toBe(true);
  });

  it('rejects a missing or non-positive duration', () => {
    const missing = 'The video’s duration is missing or zero.';
    expect(reason(parseProbe(mp4([h264({ duration: undefined })], { duration: undefined })))).toBe(missing);
    expect(reason(parseProbe(mp4([h264({ duration: 'N/A' })], { duration: '0.000000' })))).toBe(missing);
    expect(reason(parseProbe(mp4([h264({ duration: '-3' })], { duration: '-3' })))).toBe(missing);
  });

  it('rejects a claimed duration over 24 h', () => {
    expect(reason(parseProbe(mp4([h264()], { duration: '90300.5' })))).toBe(
      'The file claims a duration of 25 h 5 min which is longer than the 24 h limit.',
    );
    expect(parseProbe(mp4([h264()], { duration: '86400' })).ok).toBe(true);
  });

  it('rejects an unknown frame rate', () => {
    expect(reason(parseProbe(mp4([h264({ avg_frame_rate: '0/0', r_frame_rate: '0/0' })])))).toBe(
      'The video’s frame rate could not be determined.',
    );
    expect(reason(parseProbe(mp4([h264({ avg_frame_rate: undefined, r_frame_rate: undefined })])))).toMatch(/frame rate/);
  });
});

describe('decodeCheckArgs', () => {
  it('input-seeks, decodes one real video frame, fails on damage and writes nothing', () => {
    expect(decodeCheckArgs('/tmp/in.mp4', 9)).toEqual([
      '-nostdin',
      '-v',
      'error',
      '-xerror',
      '-progress',
      'pipe:1',
      '-nostats',
      '-ss',
      '9.000',
      '-i',
      '/tmp/in.mp4',
      '-map',
      '0:V:0',
      '-frames:v',
      '1',
      '-f',
      'null',
      '-',
    ]);
  });

  it('puts -ss before -i and writes tiny times in plain decimals', () => {
    const args = decodeCheckArgs('in.mp4', 1e-7);
    expect(args.indexOf('-ss')).toBeLessThan(args.indexOf('-i'));
    expect(args[args.indexOf('-ss') + 1]).toBe('0.000');
  });
});

describe('decodedFrameCount', () => {
  it('takes the last frame= of the progress blocks', () => {
    const progress = 'frame=0\nfps=0.00\nprogress=continue\nframe=1\nfps=0.00\nout_time=00:00:00.040000\nprogress=end\n';
    expect(decodedFrameCount(progress)).toBe(1);
  });

  it('is 0 when nothing was decoded or reported', () => {
    expect(decodedFrameCount('frame=0\nprogress=continue\nframe=0\nprogress=end\n')).toBe(0);
    expect(decodedFrameCount('')).toBe(0);
  });
});

describe('toolMessage', () => {
  const file = '/srv/data/videos/abc/source.mp4';

  it('takes the first line without the demuxer prefix', () => {
    const stderr = `[mov,mp4,m4a,3gp,3g2,mj2 @ 0x564c0cc161c0] moov atom not found\n${file}: Invalid data found when processing input\n`;
    expect(toolMessage(stderr, file)).toBe('moov atom not found');
  });

  it('drops the file path that prefixes the message', () => {
    expect(toolMessage(`${file}: Invalid data found when processing input\n`, file)).toBe('Invalid data found when processing input');
  });

  it('strips nested prefixes and any other absolute path', () => {
    const stderr = '[Parsed_movie_0 @ 0x55f7] [IMGUTILS @ 0x7ffc] cannot open /srv/data/other/x.mp4 here';
    expect(toolMessage(stderr, file)).toBe('cannot open … here');
  });

  it('names the file without its path when mentioned mid-line', () => {
    expect(toolMessage(`Error opening ${file} for reading`, file)).toBe('Error opening the file for reading');
  });

  it('caps long lines and is null for silence', () => {
    expect(toolMessage('x'.repeat(500), file)).toHaveLength(160);
    expect(toolMessage('\n  \n', file)).toBeNull();
  });
});

describe('thumbnailArgs', () => {
  it('input-seeks to one video frame, scales it to 640 px wide and writes a JPEG to stdout', () => {
    const args = thumbnailArgs('/tmp/in.mp4', 1);
    expect(args.slice(3, 7)).toEqual(['-ss', '1.000', '-i', '/tmp/in.mp4']);
    expect(args).toContain('scale=640:-2');
    expect(args.slice(-5)).toEqual(['-f', 'image2pipe', '-c:v', 'mjpeg', 'pipe:1']);
  });

  it('takes the frame at 1 s, or mid-clip when the clip is shorter than 2 s', () => {
    expect(thumbnailTime(5)).toBe(1);
    expect(thumbnailTime(1.2)).toBeCloseTo(0.6);
    expect(thumbnailTime(0)).toBe(0);
  });
});
