/**
 * How the mesh sidecar scales to an hour: an hour at 5 fps with two faces is 36,000 faces. Takes the real meshes
 * of an analysed document's sidecar, writes them over and over (each copy moved by a fraction of a pixel, as a
 * face moves) through the writer the analysis uses, then reads the hour back as the exports do (the 68 landmarks).
 * Prints bytes per face, the time of each step and the process's peak memory.
 *
 *   node --import tsx scripts/evaluation/meshSidecarScale.ts <clip.mp4.emotion.json> [--faces 36000]
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { readAnnotationDocument } from '../../src/core/document/annotationFile';
import { MESH_COLUMNS, MESH_POINTS, meshSidecarPathFor, MeshSidecarWriter } from '../../src/core/document/meshSidecar';
import { readMeshSidecar } from '../../src/core/document/meshSidecarReader';
import { loadMeshLandmarks } from '../../src/core/export/meshLandmarks';
import type { AnnotationDocument } from '../../src/shared/annotationDocument';
import { geometryLayout } from '../../src/shared/faceGeometry';

const peakMb = (): number => Math.round(process.resourceUsage().maxRSS / 1024);

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { faces: { type: 'string', default: '36000' } } });
  const source = positionals[0];
  if (!source) throw new Error('usage: meshSidecarScale.ts <clip.mp4.emotion.json> [--faces N]');
  const total = Number(values.faces);
  const doc = await readAnnotationDocument(source);
  const read = await readMeshSidecar(doc, source, MESH_COLUMNS, 'cannot measure');
  if (read.status !== 'ok') throw new Error(read.status === 'unusable' ? read.warning : `${source} links no mesh sidecar`);
  const { columns } = read;
  const meshes = Array.from({ length: columns.rows }, (_, row) => {
    const mesh = new Float32Array(MESH_POINTS * 3);
    MESH_COLUMNS.forEach((name, axis) => {
      const values = columns.values.get(name)!;
      for (let p = 0; p < MESH_POINTS; p++) mesh[3 * p + axis] = values[row * MESH_POINTS + p]!;
    });
    return mesh;
  });
  console.log(`${meshes.length} real meshes from ${source}; writing ${total} faces (peak memory so far ${peakMb()} MB)`);

  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'mesh-scale-'));
  try {
    const documentPath = path.join(dir, 'hour.mp4.emotion.json');
    const writer = new MeshSidecarWriter(meshSidecarPathFor(documentPath));
    const started = performance.now();
    const moved = new Float32Array(MESH_POINTS * 3);
    for (let face = 0; face < total; face++) {
      const mesh = meshes[face % meshes.length]!;
      const shift = Math.sin(face / 50) * 3.3;
      for (let i = 0; i < mesh.length; i++) moved[i] = mesh[i]! + (i % 3 === 2 ? 0 : shift);
      await writer.add(Math.floor(face / 2), face / 10, 1 + (face % 2), moved);
    }
    const sidecar = (await writer.finish())!;
    const writeSec = (performance.now() - started) / 1000;
    await fs.rename(sidecar.tempPath, sidecar.finalPath);
    console.log(`written: ${sidecar.link.bytes.toLocaleString()} bytes, ${Math.round(sidecar.link.bytes / total)} bytes per face, ${writeSec.toFixed(1)} s (${((writeSec * 1000) / total).toFixed(2)} ms per face), peak memory ${peakMb()} MB`);

    const hour: AnnotationDocument = { ...doc, geometry: { status: 'ok', layout: geometryLayout(), mesh: sidecar.link } };
    const readStarted = performance.now();
    const { landmarks, warning } = await loadMeshLandmarks(hour, documentPath);
    if (warning) throw new Error(warning);
    console.log(`68 landmarks of ${landmarks!.size} faces read back in ${((performance.now() - readStarted) / 1000).toFixed(1)} s, peak memory ${peakMb()} MB`);
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
