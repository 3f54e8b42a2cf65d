// Older annotation documents open in newer versions of Emotion Lens: each schema version has a step that
// turns a document of the version before into one of its own, in memory. A document from a newer Emotion
// Lens is refused with a message saying so, rather than misread.
import { SCHEMA_VERSION, speakersModeOfFlag } from '../../shared/annotationDocument';
import { geometryLayout } from '../../shared/faceGeometry';

/** Turns a version N-1 document (already parsed JSON) into version N. */
type UpgradeStep = (doc: Record<string, unknown>) => Record<string, unknown>;

const steps: Record<number, UpgradeStep> = {
  // 2 added media.analysedUntilSec (optional: how far decoding got; a version 1 document simply lacks it),
  // each face's `source` (every face of version 1 was found by the detector), and the settings
  // expressionWeights (version 1 averaged its models equally, untempered) and alignFaces (always on in version 1).
  2: (doc) => ({
    ...doc,
    frames: mapArray(doc.frames, (frame) => ({ ...frame, faces: mapArray(frame.faces, (face) => ({ source: 'detected', ...face })) })),
    provenance: mapObject(doc.provenance, (provenance) => ({ ...provenance, settings: mapObject(provenance.settings, upgradeSettingsTo2) })),
  }),
  // 3 added the voice: a `voice` section (a version 2 document was analysed without one, so it says so),
  // the face arousal of each segment face, the segments' disagreement `flags` (version 2 knew face against
  // words only) and the `voice` setting. Face arousal is left out here: it is set to 0 (neutral: never flagged), as
  // the probabilities it comes from are not kept per segment.
  3: (doc) => ({
    ...doc,
    voice: { status: 'not-analysed', reason: 'analysed by an Emotion Lens without voice analysis; analyse again to measure the voice', baseline: { scope: 'none', reason: 'not analysed' }, segments: [] },
    segments: mapArray(doc.segments, (segment) => ({
      ...segment,
      faces: mapArray(segment.faces, (face) => ({ arousal: 0, ...face })),
      flags: segment.disagreement === true ? ['face-words'] : [],
    })),
    provenance: mapObject(doc.provenance, (provenance) => ({ ...provenance, settings: mapObject(provenance.settings, (settings) => ({ ...settings, voice: false })) })),
  }),
  // 4 added the adaptation learnt from corrections (optional: a version 3 document has none) and each
  // correction's optional annotator: a version 3 document is a valid version 4 one as it is.
  4: (doc) => doc,
  // 5 added face geometry: a `geometry` section (a version 4 document was analysed without it, so it says so),
  // each face's optional `geometry`, the `faceMesh` and `blendshapes` model roles and the `geometry` setting.
  5: (doc) => ({
    ...doc,
    geometry: { status: 'not-analysed', reason: 'analysed by an Emotion Lens without face geometry; analyse again to measure it', layout: geometryLayout() },
    provenance: mapObject(doc.provenance, (provenance) => ({ ...provenance, settings: mapObject(provenance.settings, (settings) => ({ ...settings, geometry: false })) })),
  }),
  // 6 added who speaks: each utterance's and voice segment's optional `speaker`, the voice section's optional
  // `speakers` and `personBaselines`, and the `speakers` setting. A version 5 document never attributed speakers.
  6: (doc) => ({
    ...doc,
    provenance: mapObject(doc.provenance, (provenance) => ({ ...provenance, settings: mapObject(provenance.settings, (settings) => ({ ...settings, speakers: 'off' })) })),
  }),
};

/**
 * Within version 6 the `speakers` setting went from yes/no to a mode (`auto`, `on`, `off`), the schema taking
 * both: a document recording true or false is read as `on` or `off`, so the rest of the code sees one type.
 */
function speakersModeOf(doc: Record<string, unknown>): Record<string, unknown> {
  return {
    ...doc,
    provenance: mapObject(doc.provenance, (provenance) => ({
      ...provenance,
      settings: mapObject(provenance.settings, (settings) => (typeof settings.speakers === 'boolean' ? { ...settings, speakers: speakersModeOfFlag(settings.speakers) } : settings)),
    })),
  };
}

function upgradeSettingsTo2(settings: Record<string, unknown>): Record<string, unknown> {
  const models = Array.isArray(settings.expressionModels) ? settings.expressionModels : [];
  return { ...settings, expressionWeights: models.map(() => 1 / models.length), ensembleTemperature: 1, alignFaces: true };
}

function mapObject(value: unknown, each: (item: Record<string, unknown>) => Record<string, unknown>): unknown {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? each(value as Record<string, unknown>) : value;
}

/** Maps the records of what should be an array of objects; anything else is left for the validator to name. */
function mapArray(value: unknown, each: (item: Record<string, unknown>) => Record<string, unknown>): unknown {
  if (!Array.isArray(value)) return value;
  return value.map((item: unknown) => (item !== null && typeof item === 'object' && !Array.isArray(item) ? each(item as Record<string, unknown>) : item));
}

export type UpgradeResult = { ok: true; value: unknown; fromVersion?: number } | { ok: false; problem: string };

/**
 * The value upgraded to the current schema version when it is an older document; other values (not an
 * object, no version) pass unchanged for the validator to describe.
 */
export function upgradeDocument(value: unknown): UpgradeResult {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return { ok: true, value };
  const version = (value as { schemaVersion?: unknown }).schemaVersion;
  if (typeof version !== 'number' || !Number.isInteger(version)) return { ok: true, value };
  if (version === SCHEMA_VERSION) return { ok: true, value: speakersModeOf(value as Record<string, unknown>) };
  if (version > SCHEMA_VERSION) {
    return { ok: false, problem: `was written by a newer Emotion Lens (schema version ${version}; this version reads up to ${SCHEMA_VERSION})` };
  }
  if (version < 1) return { ok: true, value };
  let doc = value as Record<string, unknown>;
  for (let next = version + 1; next <= SCHEMA_VERSION; next++) {
    const step = steps[next];
    if (!step) throw new Error(`no upgrade step to schema version ${next}`);
    doc = { ...step(doc), schemaVersion: next };
  }
  return { ok: true, value: doc, fromVersion: version };
}
