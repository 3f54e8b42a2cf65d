/**
 * What the engine knows about a face that changes which expression models to trust. The default ensemble is
 * weighted for two kinds (docs/expression-models.md has the evidence): small still face crops, like FER2013's
 * 48x48 ones, on which the network trained on FER2013 is the best of the three by far, and every other face
 * (larger crops, photos, video frames), on which it is the worst.
 */
import type { FaceSource } from '../../shared/annotationDocument';

export type FaceKind = 'smallCrop' | 'face';

/** A still face crop up to this side (px, its longer one) is small: no more detail than a 64x64 model input. */
export const SMALL_CROP_MAX_SIDE = 64;

/** The kind of a face: from whether its image is a still, how the face was framed, and the image's size. */
export function faceKind(image: { width: number; height: number; still?: boolean }, face: { source?: FaceSource }): FaceKind {
  return image.still && face.source === 'wholeImage' && Math.max(image.width, image.height) <= SMALL_CROP_MAX_SIDE ? 'smallCrop' : 'face';
}
