/**
 * face-api's facial expression network (FaceExpressionNet of @vladmandic/face-api 1.7.15, MIT), rebuilt as
 * an ONNX graph from its tfjs weights, plus a JS copy of the preprocessing face-api applies before it.
 *
 * The graph: input `input` float32 [N,3,112,112] (NCHW, already preprocessed as below), output `logits`
 * float32 [N,7], the fully connected layer's output BEFORE face-api's softmax (so a temperature can be
 * calibrated on it), classes in FACE_API_EXPRESSION_LABELS order.
 *
 * The crop (context, not part of this graph): face-api's pipeline slices the face box straight out of the
 * frame (dom/extractFaceTensors.ts): the detector's box, or with landmarks the box around the 68 points,
 * clipped to the image and floored to whole pixels; no margin, no rotation, no alignment.
 *
 * Preprocessing, exactly as face-api does it from that RGB crop of W x H pixels given as a tensor (how Node
 * code without a canvas package calls it; NetInput.toBatchTensor(112, isCenterInputs = true), then
 * FaceFeatureExtractor.forwardInput):
 *  1. Pad to a square of side S = max(W, H) with black (0, 0, 0) pixels, on the shorter axis only, the crop
 *     centred: floor(D / 2) columns (or rows) before it, ceil(D / 2) after it, D = |W - H|; with an odd D the
 *     extra line goes to the right (or bottom). The padding is black BEFORE mean subtraction, so in the
 *     network input it is -mean / 255 per channel, not 0. (ops/padToSquare.ts.)
 *  2. Unless S is already 112, resize the S x S square to 112 x 112 with tf.image.resizeBilinear,
 *     alignCorners = false, halfPixelCenters = false, i.e. TF1's legacy "asymmetric" mapping: output pixel
 *     (x, y) samples the input at pixel-index coordinates (x * S / 112, y * S / 112), no half-pixel offset;
 *     x0 = floor(sx), x1 = min(x0 + 1, S - 1), linear across x first, then across y. Output pixel 0 is
 *     input pixel 0 exactly; a half-pixel-centre resize (OpenCV, PIL) samples (S / 112 - 1) / 2 input
 *     pixels further down and right instead (up and left when enlarging), so the two are not
 *     interchangeable. Padding and image are resized together, so the crop's edge pixels blend with the
 *     black border. No antialiasing: shrinking reads only the 2 x 2 neighbours of each sample.
 *  3. Cast to float32, subtract the per-channel mean RGB (122.782, 117.001, 104.298), divide by 255
 *     (one scale for all channels, no standard deviation).
 *  4. Channels in R, G, B order (not BGR). face-api keeps the tensor NHWC; this graph takes NCHW.
 * (With an HTMLImageElement or canvas in a browser, face-api instead draws the image already scaled into a
 * 112 x 112 canvas (imageToSquare: browser resampling, then the transparent remainder read back as black),
 * so browser results differ slightly; the tensor path above is the reference.)
 *
 * Topology (faceFeatureExtractor/FaceFeatureExtractor.ts, denseBlock.ts, common/depthwiseSeparableConv.ts):
 * four dense blocks of 4 convolutions, 112 -> 56 -> 28 -> 14 -> 7 pixels, 32, 64, 128, 256 channels; the
 * first conv of each block has stride 2 (a plain 3x3 conv in dense0, a depthwise-separable one after), the
 * other three are stride-1 depthwise-separable convs (3x3 depthwise without bias, 1x1 pointwise with bias).
 * With out1 = ReLU(conv0(x)): conv1 reads out1, conv2 ReLU(out1 + out2), conv3 ReLU(out1 + out2 + out3),
 * and the block returns ReLU(out1 + out2 + out3 + out4). Then a 7x7 average pool (stride 2, valid) to
 * 1x1x256 and fc 256 -> 7.
 */
import {
  encodeOnnxModel,
  intAttr,
  intsAttr,
  type OnnxAttribute,
  type OnnxInitializer,
  type OnnxNode,
} from './onnxGraphWriter';

/** face-api's FACE_EXPRESSION_LABELS (faceExpressionNet/FaceExpressions.ts): the fc outputs, in order. */
export const FACE_API_EXPRESSION_LABELS = ['neutral', 'happy', 'sad', 'angry', 'fearful', 'disgusted', 'surprised'] as const;
export const FACE_API_INPUT_SIZE = 112;
/** Subtracted per channel (R, G, B) before dividing by 255. */
export const FACE_API_MEAN_RGB = [122.782, 117.001, 104.298] as const;

/** ONNX opset 13 (IR version 7): every op used here is unchanged in it and onnxruntime 1.30 runs it. */
export const FACE_API_ONNX_OPSET = 13;
const IR_VERSION = 7;

/** One entry of a tfjs weights manifest (tfjs-core io.WeightsManifestEntry, as face-api ships them). */
export interface TfjsWeightSpec {
  name: string;
  shape: number[];
  dtype: string;
  quantization?: { dtype: string; scale?: number; min?: number };
}

/** A tfjs weights manifest: groups of weights, each stored in the concatenation of its `paths`. */
export type TfjsWeightsManifest = { paths: string[]; weights: TfjsWeightSpec[] }[];

export interface DecodedWeight {
  shape: number[];
  values: Float32Array;
}

/**
 * The manifest's weights as float32 arrays, tfjs layout (NHWC / HWIO) kept. `groupBytes[i]` holds group i's
 * files concatenated. uint8 / uint16 quantised values dequantise as tfjs does (q * scale + min, computed in
 * double, stored as float32), so the ONNX graph gets the very floats face-api computes with.
 */
export function decodeTfjsWeights(manifest: TfjsWeightsManifest, groupBytes: readonly Uint8Array[]): Map<string, DecodedWeight> {
  if (groupBytes.length !== manifest.length) throw new Error(`tfjs manifest has ${manifest.length} weight groups, got ${groupBytes.length} buffers`);
  const weights = new Map<string, DecodedWeight>();
  manifest.forEach((group, g) => {
    const bytes = groupBytes[g]!;
    let offset = 0;
    for (const spec of group.weights) {
      const { values, byteLength } = decodeWeight(spec, bytes, offset);
      weights.set(spec.name, { shape: spec.shape, values });
      offset += byteLength;
    }
    if (offset !== bytes.length) throw new Error(`tfjs weight group ${g}: the manifest describes ${offset} bytes, the files hold ${bytes.length}`);
  });
  return weights;
}

function decodeWeight(spec: TfjsWeightSpec, bytes: Uint8Array, offset: number): { values: Float32Array; byteLength: number } {
  if (spec.dtype !== 'float32') throw new Error(`tfjs weight ${spec.name}: dtype ${spec.dtype} is not supported (float32 only)`);
  const size = spec.shape.reduce((n, d) => n * d, 1);
  const q = spec.quantization;
  const bytesPerValue = q === undefined ? 4 : q.dtype === 'uint8' ? 1 : q.dtype === 'uint16' ? 2 : 0;
  if (bytesPerValue === 0) throw new Error(`tfjs weight ${spec.name}: quantisation ${q?.dtype} is not supported (uint8, uint16)`);
  const byteLength = size * bytesPerValue;
  if (offset + byteLength > bytes.length) throw new Error(`tfjs weight ${spec.name} runs past the end of its weight files`);
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, byteLength);
  const values = new Float32Array(size);
  if (q === undefined) {
    for (let i = 0; i < size; i++) values[i] = view.getFloat32(i * 4, true);
  } else {
    if (q.scale === undefined || q.min === undefined) throw new Error(`tfjs weight ${spec.name}: quantisation without scale and min`);
    for (let i = 0; i < size; i++) values[i] = (bytesPerValue === 1 ? view.getUint8(i) : view.getUint16(i * 2, true)) * q.scale + q.min;
  }
  return { values, byteLength };
}

/** The ONNX bytes of the whole expression net (see the top of this file), from face-api's manifest and .bin files. */
export function faceApiExpressionOnnx(manifest: TfjsWeightsManifest, groupBytes: readonly Uint8Array[]): Uint8Array {
  const g = new GraphBuilder(decodeTfjsWeights(manifest, groupBytes));
  let x = { name: 'input', size: FACE_API_INPUT_SIZE, channels: 3 };
  for (let block = 0; block < 4; block++) x = denseBlock(g, `dense${block}`, x, block === 0);
  if (x.size !== 7) throw new Error(`the feature extractor ends at ${x.size}x${x.size}, not 7x7`);
  // 7x7 average, stride 2, no padding, as face-api's tf.avgPool(out, [7, 7], [2, 2], 'valid'): 7x7 -> 1x1.
  const pooled = g.node('AveragePool', 'avgpool', [x.name], [intsAttr('kernel_shape', [7, 7]), intsAttr('strides', [2, 2])]);
  // [N,256,1,1] flattens to the same 256 values, in the same order, as face-api's NHWC [N,1,1,256].
  const features = g.node('Flatten', 'flatten', [pooled], [intAttr('axis', 1)]);
  // fc/weights is [256, 7] (in x out) already: Gemm's B with transB = 0, the layout face-api's matMul uses.
  const logits = g.node('Gemm', 'fc', [features, g.weight('fc/weights', [x.channels, 7]), g.weight('fc/bias', [7])], [], 'logits');
  g.checkAllWeightsUsed();
  return encodeOnnxModel(
    {
      name: 'face_api_expression',
      nodes: g.nodes,
      initializers: g.initializers,
      inputs: [{ name: 'input', shape: ['N', 3, FACE_API_INPUT_SIZE, FACE_API_INPUT_SIZE] }],
      outputs: [{ name: logits, shape: ['N', FACE_API_EXPRESSION_LABELS.length] }],
    },
    {
      opsetVersion: FACE_API_ONNX_OPSET,
      irVersion: IR_VERSION,
      producerName: 'emotion-lens scripts/models/faceApiExpressionOnnx.ts',
      producerVersion: '1',
      docString:
        'face-api FaceExpressionNet (@vladmandic/face-api 1.7.15 weights, MIT). Input: RGB face padded to a square with black, ' +
        'bilinear-resized to 112x112 (asymmetric, no half-pixel), (v - [122.782, 117.001, 104.298]) / 255, NCHW. ' +
        `Output: logits before softmax, classes ${FACE_API_EXPRESSION_LABELS.join(', ')}.`,
    },
  );
}

/** A tensor flowing through the graph: its name, square spatial size and channel count. */
interface Feature {
  name: string;
  size: number;
  channels: number;
}

/**
 * face-api's denseBlock4: out1 = relu(conv0(x)) (stride 2), then each later conv reads the ReLU of the sum
 * of all outputs so far, and the block returns relu(out1 + out2 + out3 + out4). The sums nest as face-api's
 * do (out1 + (out2 + (out3 + out4))), so even float rounding follows the same order.
 */
function denseBlock(g: GraphBuilder, prefix: string, x: Feature, isFirstBlock: boolean): Feature {
  const conv0 = isFirstBlock ? plainConv(g, `${prefix}/conv0`, x, 2) : separableConv(g, `${prefix}/conv0`, x, 2);
  const out1 = { ...conv0, name: g.node('Relu', `${prefix}/out1`, [conv0.name]) };
  const outs = [out1];
  for (let i = 1; i <= 3; i++) {
    const input = i === 1 ? out1 : { ...out1, name: g.node('Relu', `${prefix}/in${i + 1}`, [nestedSum(g, `${prefix}/in${i + 1}`, outs)]) };
    outs.push(separableConv(g, `${prefix}/conv${i}`, input, 1));
  }
  return { ...out1, name: g.node('Relu', `${prefix}/out`, [nestedSum(g, `${prefix}/out`, outs)]) };
}

/** a + (b + (c + ...)), right to left like face-api's nested tf.add calls. */
function nestedSum(g: GraphBuilder, prefix: string, terms: readonly Feature[]): string {
  let sum = terms[terms.length - 1]!.name;
  for (let i = terms.length - 2; i >= 0; i--) sum = g.node('Add', `${prefix}/add${i}`, [terms[i]!.name, sum]);
  return sum;
}

/** dense0/conv0: tf.conv2d(x, filters [3,3,3,32], stride, 'same') + bias. */
function plainConv(g: GraphBuilder, prefix: string, x: Feature, stride: number): Feature {
  const filters = g.take(`${prefix}/filters`, [3, 3, x.channels]);
  const [kh, kw, , outChannels] = filters.shape as [number, number, number, number];
  const w = g.constant(`${prefix}/filters`, [outChannels, x.channels, kh, kw], hwioToOihw(filters));
  const name = g.node('Conv', prefix, [x.name, w, g.weight(`${prefix}/bias`, [outChannels])], convAttributes(kh, stride, x.size));
  return { name, size: Math.ceil(x.size / stride), channels: outChannels };
}

/**
 * tf.separableConv2d(x, depthwise [3,3,C,1], pointwise [1,1,C,O], stride, 'same') + bias: a depthwise conv
 * (ONNX Conv with group = C, no bias) with the stride and the padding, then a 1x1 conv with the bias.
 */
function separableConv(g: GraphBuilder, prefix: string, x: Feature, stride: number): Feature {
  const depthwise = g.take(`${prefix}/depthwise_filter`, [3, 3, x.channels, 1]);
  const pointwise = g.take(`${prefix}/pointwise_filter`, [1, 1, x.channels]);
  const outChannels = pointwise.shape[3]!;
  const dw = g.constant(`${prefix}/depthwise_filter`, [x.channels, 1, 3, 3], depthwiseToOnnx(depthwise));
  const dwOut = g.node('Conv', `${prefix}/depthwise`, [x.name, dw], [...convAttributes(3, stride, x.size), intAttr('group', x.channels)]);
  const pw = g.constant(`${prefix}/pointwise_filter`, [outChannels, x.channels, 1, 1], hwioToOihw(pointwise));
  const name = g.node('Conv', prefix, [dwOut, pw, g.weight(`${prefix}/bias`, [outChannels])], convAttributes(1, 1, Math.ceil(x.size / stride)));
  return { name, size: Math.ceil(x.size / stride), channels: outChannels };
}

function convAttributes(kernel: number, stride: number, inSize: number): OnnxAttribute[] {
  const [before, after] = tfSamePadding(inSize, kernel, stride);
  return [intsAttr('kernel_shape', [kernel, kernel]), intsAttr('strides', [stride, stride]), intsAttr('pads', [before, before, after, after])];
}

/**
 * tfjs 'same' padding along one axis: output ceil(in / stride), total padding what that needs, the odd pixel
 * AFTER (bottom / right). For 3x3 stride 2 on an even size that is 0 before and 1 after, which a symmetric
 * ONNX pad of 1 would get wrong (it shifts every output by one input pixel).
 */
function tfSamePadding(inSize: number, kernel: number, stride: number): [number, number] {
  const outSize = Math.ceil(inSize / stride);
  const total = Math.max((outSize - 1) * stride + kernel - inSize, 0);
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}

/** tfjs conv filters [kh, kw, in, out] to ONNX Conv weights [out, in, kh, kw]. */
function hwioToOihw(w: DecodedWeight): Float32Array {
  const [kh, kw, cin, cout] = w.shape as [number, number, number, number];
  const out = new Float32Array(w.values.length);
  for (let y = 0; y < kh; y++) {
    for (let x = 0; x < kw; x++) {
      for (let c = 0; c < cin; c++) {
        for (let o = 0; o < cout; o++) out[((o * cin + c) * kh + y) * kw + x] = w.values[((y * kw + x) * cin + c) * cout + o]!;
      }
    }
  }
  return out;
}

/**
 * tfjs depthwise filters [kh, kw, C, multiplier] to ONNX grouped Conv weights [C * multiplier, 1, kh, kw]:
 * tfjs numbers depthwise output channels c * multiplier + m, which is the channel ONNX's group c produces.
 */
function depthwiseToOnnx(w: DecodedWeight): Float32Array {
  const [kh, kw, channels, multiplier] = w.shape as [number, number, number, number];
  const out = new Float32Array(w.values.length);
  for (let y = 0; y < kh; y++) {
    for (let x = 0; x < kw; x++) {
      for (let c = 0; c < channels; c++) {
        for (let m = 0; m < multiplier; m++) out[((c * multiplier + m) * kh + y) * kw + x] = w.values[((y * kw + x) * channels + c) * multiplier + m]!;
      }
    }
  }
  return out;
}

/**
 * Collects nodes and initializers, takes each face-api weight once by name (checking its shape), and names
 * every tensor after face-api's parameter paths so the ONNX graph reads like denseBlock.ts.
 */
class GraphBuilder {
  readonly nodes: OnnxNode[] = [];
  readonly initializers: OnnxInitializer[] = [];
  private readonly used = new Set<string>();

  constructor(private readonly weights: Map<string, DecodedWeight>) {}

  /** The weight, checked against the leading dimensions given (the rest are read from it). */
  take(name: string, leadingShape: readonly number[]): DecodedWeight {
    const w = this.weights.get(name);
    if (!w) throw new Error(`face-api weights have no ${name}`);
    if (this.used.has(name)) throw new Error(`face-api weight ${name} taken twice`);
    if (leadingShape.some((d, i) => w.shape[i] !== d)) throw new Error(`face-api weight ${name} is [${w.shape.join(', ')}], expected [${leadingShape.join(', ')}, ...]`);
    this.used.add(name);
    return w;
  }

  /** A weight used as is (biases, fc): same values, same dims. */
  weight(name: string, shape: readonly number[]): string {
    const w = this.take(name, shape);
    if (w.shape.length !== shape.length) throw new Error(`face-api weight ${name} is [${w.shape.join(', ')}], expected [${shape.join(', ')}]`);
    return this.constant(name, w.shape, w.values);
  }

  constant(name: string, dims: readonly number[], data: Float32Array): string {
    this.initializers.push({ name, dims, data });
    return name;
  }

  /** Adds a node named `name` with one output, also called `name` unless given. */
  node(opType: string, name: string, inputs: readonly string[], attributes: readonly OnnxAttribute[] = [], output = name): string {
    this.nodes.push({ opType, name, inputs, outputs: [output], attributes });
    return output;
  }

  checkAllWeightsUsed(): void {
    const unused = [...this.weights.keys()].filter((k) => !this.used.has(k));
    if (unused.length > 0) throw new Error(`face-api weights left unused: ${unused.join(', ')}`);
  }
}

/**
 * face-api's preprocessing (steps 1 to 4 at the top of this file) of one packed RGB crop (`width` x
 * `height`, 3 bytes a pixel, rows top to bottom): the network input [3, 112, 112], planar R, G, B.
 */
export function faceApiInputTensor(rgb: Uint8Array, width: number, height: number): Float32Array {
  if (rgb.length !== width * height * 3) throw new Error(`expected ${width}x${height} RGB (${width * height * 3} bytes), got ${rgb.length}`);
  const side = Math.max(width, height);
  // padToSquare appends round(D / 2) and prepends the rest, so the odd line goes after the image.
  const left = Math.floor((side - width) / 2);
  const top = Math.floor((side - height) / 2);
  const squarePixel = (x: number, y: number, c: number): number => {
    const ix = x - left, iy = y - top;
    return ix < 0 || iy < 0 || ix >= width || iy >= height ? 0 : rgb[(iy * width + ix) * 3 + c]!;
  };
  const n = FACE_API_INPUT_SIZE;
  const scale = side / n;
  const out = new Float32Array(3 * n * n);
  for (let y = 0; y < n; y++) {
    const sy = y * scale, y0 = Math.floor(sy), y1 = Math.min(y0 + 1, side - 1), fy = sy - y0;
    for (let x = 0; x < n; x++) {
      const sx = x * scale, x0 = Math.floor(sx), x1 = Math.min(x0 + 1, side - 1), fx = sx - x0;
      for (let c = 0; c < 3; c++) {
        const upper = squarePixel(x0, y0, c) + (squarePixel(x1, y0, c) - squarePixel(x0, y0, c)) * fx;
        const lower = squarePixel(x0, y1, c) + (squarePixel(x1, y1, c) - squarePixel(x0, y1, c)) * fx;
        out[(c * n + y) * n + x] = (upper + (lower - upper) * fy - FACE_API_MEAN_RGB[c]!) / 255;
      }
    }
  }
  return out;
}
