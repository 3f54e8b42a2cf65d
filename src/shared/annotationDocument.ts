/**
 * The annotation document (`<video>.emotion.json`): the one file format every part of Emotion Lens reads or
 * writes. The engine produces it, the review panel edits its `corrections`, the exporters read it.
 * Its JSON Schema lives in `schema/emotion-annotation.schema.json`; keep the two in step and bump
 * SCHEMA_VERSION on any change an older reader could misread.
 */
import type { FaceGeometryRecord, GeometrySection } from './faceGeometry';

export const SCHEMA_ID = 'https://emotion-lens.dev/schema/emotion-annotation-6.json';
/** Older versions are upgraded when read (core/document/documentUpgrade.ts). */
export const SCHEMA_VERSION = 6;
/** A media file's document is the file name with this added: `clip.mp4` -> `clip.mp4.emotion.json`. */
export const DOCUMENT_SUFFIX = '.emotion.json';

/** Pixel rectangle in the displayed (rotation applied) source frame: x, y of the top-left corner, width, height. */
export type Box = [x: number, y: number, width: number, height: number];

export type SentimentLabel = 'positive' | 'negative' | 'neutral';

export interface AnnotationDocument {
  schemaVersion: typeof SCHEMA_VERSION;
  media: MediaInfo;
  provenance: Provenance;
  /** Expression class names in the order every `probs` array uses. */
  labels: string[];
  frames: FrameRecord[];
  tracks: TrackSummary[];
  transcript: Transcript;
  /** What the voice does beyond the words: speech segments with prosody, voice quality and arousal. */
  voice: Voice;
  /** Whether face geometry was measured, the layout of each face's measures, and the link to the mesh sidecar. */
  geometry: GeometrySection;
  segments: Segment[];
  /** Human corrections, kept apart from model output so re-analysis and exports can tell them apart. */
  corrections: Correction[];
  /**
   * Corrections a re-analysis could not place (their frame or track no longer exists). Kept, never dropped,
   * so the reviewer can see and re-apply them.
   */
  unplacedCorrections: Correction[];
  /**
   * The expression model adapted to this data from human corrections (`emotion-lens adapt`, or "Learn from my
   * corrections" in the panel), with the labels it suggests. Absent until someone adapts. Its suggestions rank
   * between the two other sources: human > adapted > model.
   */
  adaptation?: Adaptation;
  /** Things a reviewer should know about this run (for example a skipped speech step). */
  warnings: string[];
}

export type MediaKind = 'video' | 'image' | 'audio';

export interface MediaInfo {
  /** File name relative to the document's folder (the video sits beside its document). */
  path: string;
  sha256: string;
  /** `audio`: a recording with no picture (wav, mp3, ...): no frames, no faces, only transcript and voice. */
  kind: MediaKind;
  durationSec: number;
  /** Average frame rate of the video stream; 0 for a still image or an audio file. */
  fps: number;
  /** Displayed size, after rotation. */
  width: number;
  height: number;
  /** Rotation the player applies (degrees clockwise), already honoured in `width`, `height` and boxes. */
  rotation: number;
  /** Presentation time of the first frame in the container; every `timeSec` is measured from it. */
  startTimeSec: number;
  hasAudio: boolean;
  videoCodec?: string;
  audioCodec?: string;
  /**
   * How far decoding got, in seconds on the same clock as every time: the end of the last decoded video frame
   * and of the decoded audio (absent when that stream was not decoded). Short of `durationSec` when the file is
   * truncated or its tail is broken; `warnings` then names the gap.
   */
  analysedUntilSec?: { video?: number; audio?: number };
}

export interface ModelRef {
  role: 'faceDetector' | 'expression' | 'speech' | 'vad' | 'faceMesh' | 'blendshapes';
  id: string;
  sha256: string;
  /** Expression models: the calibration temperature their logits were divided by. */
  temperature?: number;
}

export interface Provenance {
  tool: { name: string; version: string };
  models: ModelRef[];
  settings: AnalysisSettings;
  createdAt: string;
  /** Wall time of the analysis. */
  elapsedSec: number;
}

/** Every knob that changes the output; recorded so a document says how it was made. */
export interface AnalysisSettings {
  /** Sampled frames per second, or 0 for every frame. */
  sampleFps: number;
  /** Longest side, in pixels, frames are scaled down to before analysis (boxes are mapped back). */
  maxAnalysisSide: number;
  minFaceScore: number;
  /** Smallest face side, in source pixels, that is kept. */
  minFaceSize: number;
  /** Expression model ids; more than one means their probabilities are averaged. */
  expressionModels: string[];
  /** Each expression model's weight in that average (same order; they sum to 1; a model weighing 0 is not run). */
  expressionWeights: number[];
  /** The average's calibration temperature: softmax(log p / t); 1 leaves it as it is. */
  ensembleTemperature: number;
  /**
   * Small still face crops (at most 64 px, analysed whole) are labelled with these weights of the same models and
   * this temperature instead (the default ensemble's rule for them); absent, every face gets the ones above.
   */
  smallCrops?: EnsembleWeighting;
  /** 5-point alignment for the models trained on it; false: every model gets a plain crop of the detector box. */
  alignFaces: boolean;
  /** Average each face's probabilities with those of its mirror image. */
  flipAverage: boolean;
  /** Exponential smoothing time constant per track in seconds; 0 turns smoothing off. */
  smoothingSec: number;
  /** A pause at least this long ends an utterance. */
  utterancePauseSec: number;
  /** Length of a timeline segment. */
  segmentSec: number;
  speech: boolean;
  /** Measure the voice (segments, prosody, voice quality, arousal). */
  voice: boolean;
  /** Measure each face's geometry (mesh, head pose, gaze, blendshapes, action-unit estimates). */
  geometry: boolean;
  /**
   * Tell who speaks in a video with faces (mouth-voice synchrony: an extra pass of the face mesh over the speech):
   * `auto` when two or more faces are seen during the speech, `on` always, `off` never. Files written before the
   * setting had a mode record true or false, read as `on` or `off` (documentUpgrade.ts).
   */
  speakers: SpeakersMode;
}

export type SpeakersMode = 'auto' | 'on' | 'off';

/** The mode a yes/no `speakers` meant before it had modes (settings.json, documents of early version 6). */
export function speakersModeOfFlag(flag: boolean): SpeakersMode {
  return flag ? 'on' : 'off';
}

/** Weights of the document's expression models (same order, summing to 1) and the temperature of their average. */
export interface EnsembleWeighting {
  weights: number[];
  temperature: number;
}

export interface FrameRecord {
  /** Position in the sampled sequence (0-based); stable for a given video and settings. */
  index: number;
  /** Presentation time in seconds from the media's start (see MediaInfo.startTimeSec). */
  timeSec: number;
  faces: FaceRecord[];
}

/** How a face was found: by the detector, or (a face-crop image where it found none) as the whole image. */
export type FaceSource = 'detected' | 'wholeImage';

export interface FaceRecord {
  trackId: number;
  box: Box;
  /** `wholeImage`: no face was detected in this still image, which looks like a face crop, so all of it was classified. */
  source: FaceSource;
  /** Face detector score, 0..1 (0 for a whole-image face). */
  score: number;
  /** Five landmarks (eyes, nose tip, mouth corners) as x0, y0, ... x4, y4 in source pixels. */
  landmarks: number[];
  /** Raw model probabilities for this frame, in `labels` order (never smoothed). */
  probs: number[];
  /** Probabilities after temporal smoothing along the track; absent when smoothing is off. */
  smoothedProbs?: number[];
  /**
   * With two or more expression models: each model's own calibrated probabilities for this frame (never
   * smoothed), in `provenance.settings.expressionModels` order, 3 decimals; the adaptation learns from them.
   */
  memberProbs?: number[][];
  /** Model label: argmax of `smoothedProbs` when present, else of `probs`. */
  label: string;
  /** Probability of `label`. */
  confidence: number;
  /** Head pose, gaze, blendshapes, AU estimates and mouth measures, or why they could not be had (absent when not measured). */
  geometry?: FaceGeometryRecord;
}

export interface TrackSummary {
  id: number;
  firstTimeSec: number;
  lastTimeSec: number;
  frameCount: number;
  /** Most frequent model label along the track. */
  dominantLabel: string;
  /** Mean of the per-frame confidences. */
  meanConfidence: number;
  /** Share of the track's frames carrying each label, in `labels` order. */
  labelShare: number[];
}

export interface Word {
  text: string;
  startSec: number;
  endSec: number;
  /** Recogniser confidence, 0..1 (1 when the engine gives none). */
  confidence: number;
}

export interface Sentiment {
  /** VADER compound score, -1..1. */
  compound: number;
  pos: number;
  neu: number;
  neg: number;
  label: SentimentLabel;
}

export interface Utterance {
  id: number;
  startSec: number;
  endSec: number;
  text: string;
  /** Index of the first word in `transcript.words` and one past the last. */
  wordStart: number;
  wordEnd: number;
  sentiment: Sentiment;
  /** The voice over the utterance's span (absent when the voice was not analysed). */
  voice?: UtteranceVoice;
  /** Who says it: a face track, a voice off screen, or unknown (absent in documents from before version 6). */
  speaker?: Speaker;
}

/**
 * Who speaks a span (core/voice/speakerAttribution.ts): the face track whose mouth moves with the voice, `offscreen`
 * when faces are visible but none moves with it (or none is visible), `unknown` when it cannot be told (no face
 * geometry, too few frames). `confidence` (0-1) is how clearly the chosen answer holds (docs/annotation-format.md).
 */
export type Speaker =
  | { kind: 'face'; trackId: number; confidence: number }
  | { kind: 'offscreen'; confidence: number }
  | { kind: 'unknown'; reason: string };

/**
 * Prosody and voice quality over a span of speech, measured as Praat measures them (docs/voice.md).
 * A measure is null when the span holds nothing to measure it on (no voiced frames, fewer than 3 periods).
 */
export interface VoiceFeatures {
  /** F0 over voiced frames, in semitones re 27.5 Hz (12 * log2(f0 / 27.5)). */
  f0MeanSemitones: number | null;
  f0SdSemitones: number | null;
  /** 20th, 50th and 80th percentiles of F0 over voiced frames, semitones re 27.5 Hz. */
  f0P20Semitones: number | null;
  f0P50Semitones: number | null;
  f0P80Semitones: number | null;
  /** Mean intensity in dB (energy average; a full-scale sine reads 91 dB, as in Praat). */
  intensityDb: number | null;
  /** Mean loudness in sones (an auditory measure: doubles per perceived doubling). */
  loudness: number | null;
  /** Local jitter: mean absolute difference of consecutive periods over the mean period (a fraction, 0.01 = 1 %). */
  jitterLocal: number | null;
  /** Local shimmer: mean absolute dB difference of consecutive period peak amplitudes. */
  shimmerLocalDb: number | null;
  /** Harmonics-to-noise ratio over voiced frames, dB. */
  hnrDb: number | null;
  /** Share of the span's frames that are voiced, 0..1. */
  voicedFraction: number;
}

/** How activated the voice is, relative to a baseline of the same speaker (docs/voice.md). */
export interface VoiceArousal {
  /** Composite of mean F0 and loudness (core/voice/arousal.ts); it depends on the speaker, so compare it within one speaker only. */
  arousalRaw: number | null;
  /** arousalRaw as a z-score against the baseline: 0 = the speaker's usual, +1 = one SD livelier. Null without a baseline. */
  arousal: number | null;
}

export interface UtteranceVoice extends VoiceFeatures, VoiceArousal {
  /** Words per second over the utterance. */
  wordsPerSecond: number;
}

export interface VoiceSegment extends VoiceFeatures, VoiceArousal {
  startSec: number;
  endSec: number;
  /** Words per second over the segment, when there is a transcript. */
  wordsPerSecond?: number;
  /** Who speaks the segment (absent in documents from before version 6). */
  speaker?: Speaker;
}

/** The baseline arousal scores are relative to. */
export type VoiceBaseline =
  | { scope: 'recording'; segments: number; speechSec: number; meanRaw: number; sdRaw: number }
  | { scope: 'none'; reason: string };

/** One attributed person's own baseline: their segments' and utterances' arousal is scored against it instead of the recording's. */
export interface PersonBaseline {
  trackId: number;
  segments: number;
  speechSec: number;
  meanRaw: number;
  sdRaw: number;
}

/** `ok`: each segment and utterance has a speaker; `unavailable`: every one is `unknown`, for `reason`. */
export type SpeakerAttributionStatus = { status: 'ok'; method: 'mouth-voice-synchrony' } | { status: 'unavailable'; reason: string };

export type VoiceStatus = 'ok' | 'no-speech' | 'no-audio' | 'disabled' | 'failed' | 'not-analysed';

export interface Voice {
  status: VoiceStatus;
  /** Why there are no segments, when status is not `ok`. */
  reason?: string;
  /** How speech was found: the Silero VAD model, or an energy and voicing rule when it is not available. */
  segmentation?: 'silero-vad' | 'energy';
  /** The rate the voice was measured at: the recording's own, at most 48 kHz; absent in older documents: 16 kHz. */
  sampleRateHz?: number;
  baseline: VoiceBaseline;
  /**
   * Per person, when speakers were attributed and a person has enough speech of their own for a baseline
   * (the recording's thresholds); others keep the recording's. Absent when no speaker was attributed.
   */
  personBaselines?: PersonBaseline[];
  /** Whether speakers were attributed, and if not why (absent in documents from before version 6). */
  speakers?: SpeakerAttributionStatus;
  /** The whole recording at once (voiced frames and periods of all of it), as Praat measures a whole file. */
  overall?: VoiceFeatures;
  segments: VoiceSegment[];
}

export type TranscriptStatus = 'ok' | 'unavailable' | 'no-audio' | 'disabled' | 'failed';

export interface Transcript {
  status: TranscriptStatus;
  /** Why there are no words, when status is not `ok`. */
  reason?: string;
  engine?: 'vosk' | 'sherpa-onnx';
  model?: { id: string; path?: string };
  words: Word[];
  utterances: Utterance[];
}

export interface SegmentFace {
  trackId: number;
  label: string;
  confidence: number;
  /** Face valence estimate, -1 (negative) .. 1 (positive), from the expression probabilities. */
  valence: number;
  /** Face arousal estimate, -1 (deactivated) .. 1 (activated), from the expression probabilities. */
  arousal: number;
}

/**
 * Why a segment is flagged for review: `face-words` a face and words of opposite valence (a smile over
 * negative words); `face-voice` a face and a voice of opposite arousal (a lively voice behind a calm face,
 * or a flat voice under a surprised one).
 */
export type DisagreementKind = 'face-words' | 'face-voice';

export interface Segment {
  startSec: number;
  endSec: number;
  faces: SegmentFace[];
  /** The utterance overlapping this span the most, if any. */
  speech?: { utteranceId: number; compound: number; label: SentimentLabel };
  /** The voice segment overlapping this span the most, if any. */
  voice?: { segmentIndex: number; arousal: number | null; f0MeanSemitones: number | null };
  /** The modalities point opposite ways: review first. True when `flags` is not empty. */
  disagreement: boolean;
  flags: DisagreementKind[];
}

export interface Correction {
  /** The frame and face the correction applies to. */
  frameIndex: number;
  timeSec: number;
  trackId: number;
  /** The label a human chose; one of `labels`. */
  label: string;
  /** What the model said at the time (kept for audit and for re-placement reports). */
  modelLabel: string;
  createdAt: string;
  /** Who made it (the `emotionLens.annotator` setting, or the OS user): lets two reviews of one video be compared. */
  annotator?: string;
}

/**
 * A recalibration of the stored probabilities learnt from human corrections: adapted = softmax(W · log p + b),
 * with p the face's `smoothedProbs` (else `probs`). Fitted with a penalty pulling W toward the identity and b
 * toward 0, so a handful of corrections cannot wreck the model; kept only when it beat the base model in
 * cross-validation on the corrections. Stored whole, so a re-analysis can suggest again from the new probabilities.
 */
export interface Adaptation {
  /** `stacked`: softmax(log p + b + V f), f the face's features (each model's log-probabilities, geometry). */
  method: 'recalibration' | 'stacked';
  /**
   * How much of W is free, chosen by cross-validation: `bias` (a shift of each label's prior, W = I),
   * `scale-bias` (plus one temperature), `diagonal` (a temperature per label), `full` (all of W); `stacked`
   * (W = I, with `features` and `featureWeights`); `members` and `member-diagonal` (method `stacked`, V non-zero
   * only where a model's log-probability of a label meets that label's logit: one weight per model, or per model
   * and label).
   */
  form: 'bias' | 'scale-bias' | 'diagonal' | 'full' | 'stacked' | 'members' | 'member-diagonal';
  createdAt: string;
  /** What it learnt from: corrections (one per face) over how many documents. */
  trainedOn: { corrections: number; documents: number };
  /** Accuracy on the corrections of the base model and of the adaptation, each face predicted by a fit that never saw it. */
  crossValidation: {
    folds: number;
    baseAccuracy: number;
    adaptedAccuracy: number;
    /** The label whose corrected faces the adaptation got wrong most often: more corrections of it would help most. */
    weakestLabel?: string;
    /** The gain in accuracy at the safeguard's one-sided bound (what the corrections show at the least); older documents lack it. */
    gainLowerBound?: number;
  };
  /** Strength of the pull toward the identity (L2, per correction). */
  regularisation: number;
  /** W, one row per label (in `labels` order), one column per label's log-probability. */
  weights: number[][];
  bias: number[];
  /** The stacked form's feature names and V, one row per label (in `labels` order), one column per feature. */
  features?: string[];
  featureWeights?: number[][];
  /** One per face the adaptation labels (every face of the document; corrected faces keep their human label). */
  suggestions: Suggestion[];
}

export interface Suggestion {
  frameIndex: number;
  trackId: number;
  /** The adapted model's label (argmax of the adapted probabilities). */
  label: string;
  /** Its adapted probability. */
  confidence: number;
}
