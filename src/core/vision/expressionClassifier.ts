/**
 * Runs one expression model on detected faces, entirely as its manifest entry describes (input size,
 * colour order, normalisation, alignment, output kind, label order). Returns canonical-order probabilities.
 */
import type * as ort from 'onnxruntime-node';
import { labelPermutation, softmax, toCanonicalOrder } from '../models/modelManifest';
import type { ModelEntry, ModelInput, ModelOutput } from '../models/modelManifest';
import type { ResolvedModel } from '../models/modelResolver';
import { alignFaceInto } from './faceAlignment';
import { channelMap, inputSize } from './imageOps';
import type { ChannelMap, RgbImage } from './imageOps';
import { expandPrelu } from './onnxPrelu';
import { acceptsBatches, floatTensor, openSession, outputData } from './onnxSession';
import type { SessionSettings } from './onnxSession';
import { SerialQueue } from './serialQueue';
import type { DetectedFace } from './visionTypes';

export interface ClassifierTimings {
  alignMs: number;
  inferMs: number;
  runs: number;
}

export interface ClassifierOptions {
  /** false: a plain crop of the box even for models trained on 5-point aligned faces. */
  alignFaces: boolean;
}

export class ExpressionClassifier {
  readonly timings: ClassifierTimings = { alignMs: 0, inferMs: 0, runs: 0 };
  private readonly entry: ModelEntry;
  private readonly input: ModelInput;
  private readonly output: ModelOutput;
  private readonly map: ChannelMap;
  private readonly permutation: number[];
  private readonly slot: number;
  private readonly batched: boolean;
  private buffer = new Float32Array(0);
  private readonly queue = new SerialQueue();

  private constructor(readonly model: ResolvedModel, private readonly session: ort.InferenceSession, options: ClassifierOptions) {
    const { input, output, labels } = model.entry;
    if (!input || !output || !labels) throw new Error(`model ${model.entry.id} is not an expression classifier entry`);
    // Without alignment, a model trained on 5-point aligned faces gets the plain square crop of the box.
    this.entry = !options.alignFaces && model.entry.alignment === 'arcface5' ? { ...model.entry, alignment: 'box', boxMargin: 0 } : model.entry;
    this.input = input;
    this.output = output;
    this.map = channelMap(input);
    this.permutation = labelPermutation(labels);
    const { width, height, channels } = inputSize(input);
    this.slot = width * height * channels;
    this.batched = acceptsBatches(session, input.name);
  }

  static async create(model: ResolvedModel, settings: SessionSettings = {}, options: ClassifierOptions = { alignFaces: true }): Promise<ExpressionClassifier> {
    const file = model.paths[0];
    if (!file) throw new Error(`model ${model.entry.id} has no file`);
    // PRelu expanded in memory: same results, about half the inference time for MobileFaceNet.
    return new ExpressionClassifier(model, await openSession(file, { graphOptimization: model.entry.graphOptimization, ...settings }, expandPrelu), options);
  }

  /** Canonical-order probabilities for each face; with `flipAverage`, averaged with the mirrored crop. */
  classify(image: RgbImage, faces: readonly DetectedFace[], flipAverage = false): Promise<number[][]> {
    return this.queue.run(() => this.classifyNow(image, faces, flipAverage));
  }

  private async classifyNow(image: RgbImage, faces: readonly DetectedFace[], flipAverage: boolean): Promise<number[][]> {
    if (faces.length === 0) return [];
    const views = flipAverage ? 2 : 1;
    const count = faces.length * views;
    const t0 = performance.now();
    if (this.buffer.length < count * this.slot) this.buffer = new Float32Array(count * this.slot);
    faces.forEach((face, i) => {
      for (let k = 0; k < views; k++) alignFaceInto(image, face, this.entry, this.map, this.buffer, (i * views + k) * this.slot, k === 1);
    });
    const t1 = performance.now();
    const raw = await this.infer(count);
    this.timings.alignMs += t1 - t0;
    this.timings.inferMs += performance.now() - t1;
    return faces.map((_, i) => {
      const probs = raw.slice(i * views, (i + 1) * views).map((row) => this.toCanonical(row));
      return probs[0]!.map((_p, c) => probs.reduce((sum, p) => sum + (p[c] ?? 0), 0) / views);
    });
  }

  /** Model outputs (one row per crop) for the first `count` crops in the buffer. */
  private async infer(count: number): Promise<Float32Array[]> {
    const [, ...rest] = this.input.shape;
    const file = this.model.paths[0] ?? this.model.entry.id;
    const outName = this.output.name;
    const run = async (start: number, n: number): Promise<Float32Array[]> => {
      const data = this.buffer.subarray(start * this.slot, (start + n) * this.slot);
      const results = await this.session.run({ [this.input.name]: floatTensor(data, [n, ...rest]) });
      this.timings.runs++;
      const out = outputData(results, outName, file);
      const width = out.length / n;
      return Array.from({ length: n }, (_, i) => out.slice(i * width, (i + 1) * width));
    };
    if (this.batched) return run(0, count);
    const rows: Float32Array[] = [];
    for (let i = 0; i < count; i++) rows.push(...(await run(i, 1)));
    return rows;
  }

  /** Softmax of the logits over the calibration temperature (for a model that outputs probabilities, of their logs). */
  private toCanonical(row: Float32Array): number[] {
    const temperature = this.entry.calibration?.temperature ?? 1;
    if (this.output.kind === 'probabilities' && temperature === 1) return toCanonicalOrder(Array.from(row), this.permutation);
    const logits = this.output.kind === 'logits' ? Array.from(row) : Array.from(row, (p) => Math.log(Math.max(p, 1e-12)));
    return toCanonicalOrder(softmax(logits.map((z) => z / temperature)), this.permutation);
  }

  async close(): Promise<void> {
    await this.session.release();
  }
}
