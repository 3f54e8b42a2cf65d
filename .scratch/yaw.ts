import { GeometryRunner, videoFrame } from '../scripts/evaluation/geometryRuns';
(async () => {
  const r = await GeometryRunner.create();
  for (const v of ['WolfgangLanger_Pexels_face_silent.mp4', 'Obama_clip1_face_speech.mp4', 'reagan_clip1_face_speech.mp4']) {
    for (const t of [1, 3, 5, 8, 12, 15]) {
      try {
      const run = await r.frame(videoFrame('/work/shared/media/video/' + v, t));
      const g = run.results[0];
      if (g?.ok) console.log(v, t, 'yaw', g.geometry.pose.yaw.toFixed(1), 'pitch', g.geometry.pose.pitch.toFixed(1), 'roll', g.geometry.pose.roll.toFixed(1), 'gaze', g.geometry.gaze.combined.yaw.toFixed(1), g.geometry.gaze.combined.pitch.toFixed(1), 'AU12', g.geometry.actionUnits[12].toFixed(2), 'AU6', g.geometry.actionUnits[6].toFixed(2), 'lip', g.geometry.mouth.lipGapCm.toFixed(2));
      } catch (e) { console.log(v, t, String(e).slice(0, 80)); }
    }
  }
  await r.close();
})();
