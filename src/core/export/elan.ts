/** The ELAN annotation file (`.eaf`, EAF 3.0): its tiers are described in docs/export-formats.md. */
import type { AnnotationDocument, Speaker } from '../../shared/annotationDocument';
import { speakerName } from '../../shared/speakerNames';
import type { FinalFace, FinalLabels } from './finalLabels';
import { actionUnitTiers } from './elanActionUnits';
import { finalLabels, formatNumber, labelRuns, trackIds } from './finalLabels';
import { mediaFileUrl, mediaMimeType, mediaRelativeUrl } from './mediaLocation';
import { arousalText, pitchText } from './voiceColumns';
import { xmlAttribute, xmlText } from './xmlEscape';

export interface ElanOptions {
  /** Path of the annotation document (the media path in it is relative to its folder). */
  documentPath: string;
  /** Where the .eaf is written (for the relative media URL); default: beside the document. */
  outputPath?: string;
}

interface TierAnnotation {
  startMs: number;
  endMs: number;
  value: string;
  cveRef?: string;
}

interface Tier {
  id: string;
  type: 'expression' | 'label-source' | 'action-unit' | 'transcript' | 'speaker' | 'words' | 'sentiment' | 'voice-arousal' | 'voice-pitch';
  participant?: string;
  annotations: TierAnnotation[];
}

const EXPRESSION_CV = 'expressions';

export function elanEaf(doc: AnnotationDocument, options: ElanOptions): string {
  const labels = finalLabels(doc);
  const vocabulary = [...new Set([...doc.labels, ...labels.frames.flatMap((f) => f.faces.map((face) => face.label))])];
  const cveId = (label: string) => `cveid${vocabulary.indexOf(label) + 1}`;
  const runs = labelRuns(labels);
  const sourceRuns = labelRuns(sourcesAsLabels(labels));
  const auTiers = actionUnitTiers(doc, labels);
  const tiers: Tier[] = trackIds(labels).flatMap((id): Tier[] => [
    {
      id: `face ${id}`,
      type: 'expression',
      participant: `face ${id}`,
      annotations: runs.filter((r) => r.trackId === id).map((r) => span(r.startSec, r.endSec, r.label, cveId(r.label))),
    },
    {
      id: `face ${id} source`,
      type: 'label-source',
      participant: `face ${id}`,
      annotations: sourceRuns.filter((r) => r.trackId === id).map((r) => span(r.startSec, r.endSec, r.label)),
    },
    ...auTiers.filter((t) => t.trackId === id).map((t): Tier => ({
      id: `face ${id} AU${t.au}`,
      type: 'action-unit',
      participant: `face ${id}`,
      annotations: t.annotations.map((a) => span(a.startSec, a.endSec, a.value)),
    })),
  ]);
  const { utterances, words } = doc.transcript;
  tiers.push(
    { id: 'transcript', type: 'transcript', annotations: utterances.map((u) => span(u.startSec, u.endSec, u.text)) },
    ...(utterances.some((u) => u.speaker) ? [speakerTier(utterances)] : []),
    { id: 'words', type: 'words', annotations: words.map((w) => span(w.startSec, w.endSec, w.text)) },
    { id: 'sentiment', type: 'sentiment', annotations: utterances.map((u) => span(u.startSec, u.endSec, `${u.sentiment.label} ${formatNumber(u.sentiment.compound, 3)}`)) },
  );
  const { voice } = doc;
  tiers.push(
    { id: 'voice arousal', type: 'voice-arousal', annotations: voice.segments.map((v) => span(v.startSec, v.endSec, arousalText(v.arousal))) },
    { id: 'voice pitch', type: 'voice-pitch', annotations: voice.segments.map((v) => span(v.startSec, v.endSec, pitchText(v.f0MeanSemitones))) },
  );
  const voiceProperties = [
    ...(voice.status === 'ok' ? [] : [property('emotion-lens:voice', `${voice.status}${voice.reason ? `: ${voice.reason}` : ''}`)]),
    ...(voice.segments.length > 0 && voice.baseline.scope === 'none' ? [property('emotion-lens:voice-baseline', `none, arousal n/a: ${voice.baseline.reason}`)] : []),
  ];

  const slots = [...new Set(tiers.flatMap((t) => t.annotations.flatMap((a) => [a.startMs, a.endMs])))].sort((a, b) => a - b);
  const slotId = new Map(slots.map((ms, i) => [ms, `ts${i + 1}`]));
  const annotationCount = tiers.reduce((n, t) => n + t.annotations.length, 0);
  const outputPath = options.outputPath ?? options.documentPath;

  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<ANNOTATION_DOCUMENT AUTHOR="${attr(`${doc.provenance.tool.name} ${doc.provenance.tool.version}`)}" DATE="${attr(doc.provenance.createdAt)}" FORMAT="3.0" VERSION="3.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:noNamespaceSchemaLocation="http://www.mpi.nl/tools/elan/EAFv3.0.xsd">`,
    '    <HEADER MEDIA_FILE="" TIME_UNITS="milliseconds">',
    `        <MEDIA_DESCRIPTOR MEDIA_URL="${attr(mediaFileUrl(doc, options.documentPath))}" MIME_TYPE="${attr(mediaMimeType(doc))}" RELATIVE_MEDIA_URL="${attr(mediaRelativeUrl(doc, options.documentPath, outputPath))}"/>`,
    ...(doc.transcript.status === 'ok' ? [] : [`        <PROPERTY NAME="emotion-lens:transcript">${text(`${doc.transcript.status}${doc.transcript.reason ? `: ${doc.transcript.reason}` : ''}`)}</PROPERTY>`]),
    ...voiceProperties,
    `        <PROPERTY NAME="lastUsedAnnotationId">${annotationCount}</PROPERTY>`,
    '    </HEADER>',
    slots.length === 0 ? '    <TIME_ORDER/>' : '    <TIME_ORDER>',
    ...slots.map((ms) => `        <TIME_SLOT TIME_SLOT_ID="${slotId.get(ms)}" TIME_VALUE="${ms}"/>`),
    ...(slots.length === 0 ? [] : ['    </TIME_ORDER>']),
  ];
  let nextId = 1;
  for (const tier of tiers) {
    const head = `    <TIER LINGUISTIC_TYPE_REF="${tier.type}"${tier.participant ? ` PARTICIPANT="${attr(tier.participant)}"` : ''} TIER_ID="${attr(tier.id)}"`;
    if (tier.annotations.length === 0) {
      lines.push(`${head}/>`);
      continue;
    }
    lines.push(`${head}>`);
    for (const a of tier.annotations) {
      const cve = a.cveRef ? ` CVE_REF="${a.cveRef}"` : '';
      lines.push(
        '        <ANNOTATION>',
        `            <ALIGNABLE_ANNOTATION ANNOTATION_ID="a${nextId++}"${cve} TIME_SLOT_REF1="${slotId.get(a.startMs)}" TIME_SLOT_REF2="${slotId.get(a.endMs)}">`,
        `                <ANNOTATION_VALUE>${text(a.value)}</ANNOTATION_VALUE>`,
        '            </ALIGNABLE_ANNOTATION>',
        '        </ANNOTATION>',
      );
    }
    lines.push('    </TIER>');
  }
  lines.push(
    `    <LINGUISTIC_TYPE CONTROLLED_VOCABULARY_REF="${EXPRESSION_CV}" GRAPHIC_REFERENCES="false" LINGUISTIC_TYPE_ID="expression" TIME_ALIGNABLE="true"/>`,
    '    <LINGUISTIC_TYPE GRAPHIC_REFERENCES="false" LINGUISTIC_TYPE_ID="label-source" TIME_ALIGNABLE="true"/>',
    ...(doc.geometry.status === 'ok' ? ['    <LINGUISTIC_TYPE GRAPHIC_REFERENCES="false" LINGUISTIC_TYPE_ID="action-unit" TIME_ALIGNABLE="true"/>'] : []),
    '    <LINGUISTIC_TYPE GRAPHIC_REFERENCES="false" LINGUISTIC_TYPE_ID="transcript" TIME_ALIGNABLE="true"/>',
    ...(utterances.some((u) => u.speaker) ? ['    <LINGUISTIC_TYPE GRAPHIC_REFERENCES="false" LINGUISTIC_TYPE_ID="speaker" TIME_ALIGNABLE="true"/>'] : []),
    '    <LINGUISTIC_TYPE GRAPHIC_REFERENCES="false" LINGUISTIC_TYPE_ID="words" TIME_ALIGNABLE="true"/>',
    '    <LINGUISTIC_TYPE GRAPHIC_REFERENCES="false" LINGUISTIC_TYPE_ID="sentiment" TIME_ALIGNABLE="true"/>',
    '    <LINGUISTIC_TYPE GRAPHIC_REFERENCES="false" LINGUISTIC_TYPE_ID="voice-arousal" TIME_ALIGNABLE="true"/>',
    '    <LINGUISTIC_TYPE GRAPHIC_REFERENCES="false" LINGUISTIC_TYPE_ID="voice-pitch" TIME_ALIGNABLE="true"/>',
    '    <LANGUAGE LANG_DEF="http://cdb.iso.org/lg/CDB-00130975-001" LANG_ID="und" LANG_LABEL="undetermined (und)"/>',
    `    <CONTROLLED_VOCABULARY CV_ID="${EXPRESSION_CV}">`,
    `        <DESCRIPTION LANG_REF="und">Facial expression labels (${text(doc.provenance.settings.expressionModels.join(', '))})</DESCRIPTION>`,
    ...vocabulary.flatMap((label) => [
      `        <CV_ENTRY_ML CVE_ID="${cveId(label)}">`,
      `            <CVE_VALUE LANG_REF="und">${text(label)}</CVE_VALUE>`,
      '        </CV_ENTRY_ML>',
    ]),
    '    </CONTROLLED_VOCABULARY>',
    '</ANNOTATION_DOCUMENT>',
  );
  return lines.join('\n') + '\n';
}

/** Who says each utterance, on the utterance's span: `Person 1 (0.97)`, `Off screen (0.88)`, `unknown`. */
function speakerTier(utterances: AnnotationDocument['transcript']['utterances']): Tier {
  const value = (speaker: Speaker | undefined) => (speaker && speaker.kind !== 'unknown' ? `${speakerName(speaker)} (${formatNumber(speaker.confidence, 2)})` : 'unknown');
  return { id: 'speaker', type: 'speaker', annotations: utterances.map((u) => span(u.startSec, u.endSec, value(u.speaker))) };
}

/** The same frames with each face's label replaced by where it comes from, so runs follow the source. */
function sourcesAsLabels(labels: FinalLabels): FinalLabels {
  const value = (face: FinalFace) => (face.source === 'human' && face.annotator ? `human (${face.annotator})` : face.source);
  return { ...labels, frames: labels.frames.map((f) => ({ ...f, faces: f.faces.map((face) => ({ ...face, label: value(face) })) })) };
}

/** Milliseconds, never zero-length: ELAN cannot show an annotation whose end is not after its start. */
function span(startSec: number, endSec: number, value: string, cveRef?: string): TierAnnotation {
  const startMs = Math.max(0, Math.round(startSec * 1000));
  return { startMs, endMs: Math.max(startMs + 1, Math.round(endSec * 1000)), value, ...(cveRef ? { cveRef } : {}) };
}

function property(name: string, value: string): string {
  return `        <PROPERTY NAME="${attr(name)}">${text(value)}</PROPERTY>`;
}

const text = xmlText;
const attr = xmlAttribute;
