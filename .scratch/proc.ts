import { solveWeightedProcrustes } from '../src/core/geometry/procrustes';
import { loadCanonicalFace } from '../src/core/geometry/geometryModels';
const c = loadCanonicalFace('bundled-models/mediapipe_face_mesh_v2/canonical_face_v2.json');
const t = Float64Array.from(c.vertices, (v) => v * 2 + 1);
for (let i = 0; i < 200; i++) solveWeightedProcrustes(c.vertices, t, c.procrustesWeights);
const c0 = process.cpuUsage(); for (let i = 0; i < 2000; i++) solveWeightedProcrustes(c.vertices, t, c.procrustesWeights); const u = process.cpuUsage(c0);
console.log('procrustes', ((u.user + u.system) / 1000 / 2000).toFixed(4), 'ms');
