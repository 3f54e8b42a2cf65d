/**
 * Puts an analysis's files in place together: the document and its mesh sidecar are both complete at their
 * temporary names first (flushed to disk), then the sidecar is renamed, then the document, so a failed or
 * cancelled run leaves the previous pair (or nothing), never a document without its sidecar. The previous
 * sidecar is moved aside until the document is in place, and moved back if that fails.
 */
import { promises as fs } from 'node:fs';
import type { AnnotationDocument } from '../../shared/annotationDocument';
import { EmotionLensError } from '../errors';
import { serialiseAnnotationDocument, tempPathFor } from './annotationFile';
import { annotationProblems } from './annotationValidation';
import type { PreparedSidecar } from './meshSidecar';
import { meshSidecarPathFor } from './meshSidecar';

export async function commitDocument(file: string, doc: AnnotationDocument, sidecar: PreparedSidecar | undefined): Promise<void> {
  const problems = annotationProblems(doc);
  if (problems.length > 0) throw new EmotionLensError('internal', `refusing to write an invalid document: ${problems.slice(0, 3).join('; ')}`, file);
  const documentTemp = await tempPathFor(file);
  const sidecarPath = meshSidecarPathFor(file);
  let previous: string | undefined;
  let placed = false;
  try {
    await writeSynced(documentTemp, serialiseAnnotationDocument(doc));
    if (sidecar) {
      if (await exists(sidecarPath)) {
        previous = await tempPathFor(`${sidecarPath}.previous`);
        await fs.rename(sidecarPath, previous);
      }
      await fs.rename(sidecar.tempPath, sidecarPath);
      placed = true;
    }
    await fs.rename(documentTemp, file);
  } catch (error) {
    await fs.rm(documentTemp, { force: true });
    if (sidecar) await fs.rm(placed ? sidecarPath : sidecar.tempPath, { force: true });
    if (previous) await fs.rename(previous, sidecarPath).catch(() => undefined);
    throw error;
  }
  if (previous) await fs.rm(previous, { force: true });
  // A document without a mesh (analysed again with --no-geometry) keeps no stale sidecar of an earlier run.
  if (!sidecar && !doc.geometry.mesh) await fs.rm(sidecarPath, { force: true });
}

async function writeSynced(file: string, text: string): Promise<void> {
  const handle = await fs.open(file, 'wx');
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function exists(file: string): Promise<boolean> {
  return fs.access(file).then(() => true, () => false);
}
