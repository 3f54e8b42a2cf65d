import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { FaceMeshModel, BlendshapeModel } from '../src/core/geometry/faceMeshModels';
import { roiFromYunet, roiFromMesh } from '../src/core/geometry/faceRoi';
import { FaceDetector } from '../src/core/vision/faceDetector';
import { loadManifest } from '../src/core/models/modelManifest';
import { estimateHeadPose } from '../src/core/geometry/headPose';
import { loadCanonicalFace } from '../src/core/geometry/geometryModels';
const G = '/work/shared/models/mediapipe_face_landmarker/golden/';
const m = loadManifest();
const res = (id: string, paths: string[]) => ({ entry: m.models.find((e) => e.id === id)!, paths, sha256: '' });
(async () => {
  const { data, info } = await sharp(G + 'portrait.jpg').removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const image = { width: info.width, height: info.height, data: new Uint8Array(data) };
  const det = await FaceDetector.create(res('face_detection_yunet_2023mar', ['/work/shared/models/face_detection_yunet_2023mar/face_detection_yunet_2023mar.onnx']));
  const faces = await det.detect(image);
  console.log('yunet', faces[0]);
  const gx = [...readFileSync(G + 'portrait_expected_face_landmarks.pbtxt', 'utf8').matchAll(/^\s*x: ([-\d.e]+)/gm)].map((r) => Number(r[1]));
  const gy = [...readFileSync(G + 'portrait_expected_face_landmarks.pbtxt', 'utf8').matchAll(/^\s*y: ([-\d.e]+)/gm)].map((r) => Number(r[1]));
  const gb = [...readFileSync(G + 'portrait_expected_blendshapes.pbtxt', 'utf8').matchAll(/score: ([-\d.e]+)/gm)].map((r) => Number(r[1]));
  const gp = [...readFileSync(G + 'portrait_expected_face_geometry.pbtxt', 'utf8').matchAll(/packed_data: ([-\d.e]+)/gm)].map((r) => Number(r[1]));
  const goldenRoi = { cx: 0.48906386 * 820, cy: 0.22731927 * 1024, width: 0.42905223 * 820, height: 0.34357703 * 1024, rotation: 0.008304443 };
  for (const dir of ['/tmp/testfl', 'bundled-models']) {
    const meshDir = dir === '/tmp/testfl' ? dir : dir + '/mediapipe_face_mesh_v2';
    const bsDir = dir === '/tmp/testfl' ? dir : dir + '/mediapipe_face_blendshapes_v2';
    const mesh = await FaceMeshModel.create(res('mediapipe_face_mesh_v2', [meshDir + '/face_mesh_v2.onnx']));
    const bs = await BlendshapeModel.create(res('mediapipe_face_blendshapes_v2', [bsDir + '/face_blendshapes_v2.onnx']));
    const canon = loadCanonicalFace(meshDir + '/canonical_face_v2.json');
    for (const [label, roi] of [['golden roi', goldenRoi], ['yunet roi', roiFromYunet(faces[0]!)]] as const) {
      const [out] = await mesh.run(image, [roi]);
      let md = 0, mean = 0; for (let i = 0; i < 478; i++) { const d = Math.max(Math.abs(out!.mesh[3*i]!/820 - gx[i]!), Math.abs(out!.mesh[3*i+1]!/1024 - gy[i]!)); md = Math.max(md, d); mean += Math.hypot(out!.mesh[3*i]! - gx[i]!*820, out!.mesh[3*i+1]! - gy[i]!*1024)/478; }
      const [b] = await bs.run([out!.mesh]);
      const bd = Math.max(...gb.map((g, i) => Math.abs(g - b![i]!)));
      const norm = Array.from(out!.mesh, (v, i) => (i % 3 === 1 ? v / 1024 : v / 820));
      const pose = estimateHeadPose(norm, 820, 1024, canon);
      const pd = Math.max(...gp.map((g, i) => Math.abs(g - pose.pose.matrix[i]!)));
      console.log(dir, label, roi, 'presence', out!.presence.toFixed(4), 'lm maxdiff', md.toFixed(4), 'mean px', mean.toFixed(2), 'bs maxdiff', bd.toFixed(3), 'pose maxdiff', pd.toFixed(3), 'meshroi', roiFromMesh(out!.mesh));
    }
  }
})();
