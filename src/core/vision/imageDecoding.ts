// Still images decoded in-process with sharp (libvips): no ffprobe and no ffmpeg per image, which dominate the
// time of a face-image dataset otherwise, and EXIF orientation honoured (ffmpeg 5.1 ignores it, so phone
// photos came out sideways). Formats sharp cannot read (BMP, for one) go to ffmpeg as before.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import sharp from 'sharp';
import { EmotionLensError } from '../errors';
import { frameSizeFor } from '../media/frameReader';
import { isImagePath } from '../media/inputFiles';
import type { MediaProbe, RawFrame } from '../media/mediaTypes';

/** libvips decodes on its own threads; the frame workers already use every core. */
sharp.concurrency(1);
sharp.cache(false);

/** EXIF orientations 5-8 turn the picture a quarter: its displayed width and height swap. */
const QUARTER_TURNS = new Set([5, 6, 7, 8]);
/** Degrees clockwise a viewer turns the stored pixels, per EXIF orientation (mirrored ones by their turn). */
const ROTATION_OF: Record<number, number> = { 1: 0, 2: 0, 3: 180, 4: 180, 5: 90, 6: 90, 7: 270, 8: 270 };

/**
 * The probe of a still image read by sharp, or undefined when sharp cannot read it (not an image it
 * knows, or not an image at all): the caller then asks ffprobe, which also words the error.
 */
export async function probeImageWithSharp(file: string): Promise<MediaProbe | undefined> {
  if (!isImagePath(file)) return undefined;
  let bytes: Buffer;
  let meta: sharp.Metadata;
  try {
    bytes = await fs.readFile(file);
    meta = await sharp(bytes, { failOn: 'none' }).metadata();
  } catch {
    return undefined;
  }
  if (!meta.width || !meta.height || (meta.pages ?? 1) > 1) return undefined;
  const orientation = meta.orientation ?? 1;
  const turned = QUARTER_TURNS.has(orientation);
  const probe: MediaProbe = {
    kind: 'image',
    durationSec: 0,
    fps: 0,
    width: turned ? meta.height : meta.width,
    height: turned ? meta.width : meta.height,
    rotation: ROTATION_OF[orientation] ?? 0,
    startTimeSec: 0,
    hasAudio: false,
    videoCodec: meta.format === 'jpeg' ? 'mjpeg' : meta.format,
    decoder: 'sharp',
    estimatedFrames: () => 1,
  };
  probedBytes.set(probe, bytes);
  return probe;
}

/**
 * The file's bytes as its probe read them, kept for its sha256 and its decode (which lets them go): a face crop
 * was opened and read three times (probe, decode, hash), which cost more than the reading.
 */
const probedBytes = new WeakMap<MediaProbe, Buffer>();

/** sha256 of the bytes a sharp probe read (the file as analysed), or undefined for any other probe. */
export function probedImageSha256(probe: MediaProbe): string | undefined {
  const bytes = probedBytes.get(probe);
  return bytes ? createHash('sha256').update(bytes).digest('hex') : undefined;
}

/** The image as one RGB frame, turned upright and scaled down (aspect kept) so its longest side fits maxSide. */
export async function readImageWithSharp(file: string, probe: MediaProbe, maxSide: number): Promise<RawFrame> {
  const size = frameSizeFor(probe, maxSide);
  try {
    const bytes = probedBytes.get(probe) ?? (await fs.readFile(file));
    // Decoded once: a probe kept longer by a caller must not keep a large photo's bytes alive.
    probedBytes.delete(probe);
    const { data, info } = await sharp(bytes, { failOn: 'truncated' })
      .rotate()
      .resize(size.width, size.height, { fit: 'fill', kernel: 'lanczos3' })
      .removeAlpha()
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3 || info.width !== size.width || info.height !== size.height) {
      throw new Error(`decoded ${info.width}x${info.height}x${info.channels}, expected ${size.width}x${size.height}x3`);
    }
    return { index: 0, timeSec: 0, width: size.width, height: size.height, data: new Uint8Array(data.buffer, data.byteOffset, data.length), scaleToSource: size.scaleToSource, still: true };
  } catch (error) {
    throw new EmotionLensError('input-unreadable', `the image could not be decoded (${(error as Error).message.split('\n')[0]})`, file, 'Check that the file is complete; re-export or re-download it');
  }
}
