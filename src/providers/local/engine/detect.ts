import type ort from 'onnxruntime-node';
import { resize, type Raster } from '../pipeline/raster.ts';
import { toBgrTensor } from './tensor.ts';

/** A text region found by the detector, in the pixels of the image it was run on. */
export interface TextBox {
  x: number;
  y: number;
  width: number;
  height: number;
  /** Mean text probability inside the region, 0..1. */
  score: number;
  /** Direction of the region's long axis in degrees (image coordinates, y down), -90..90. */
  angle: number;
  /** Long side over short side of the region's pixel distribution; 1 for a blob. */
  elongation: number;
}

/** PaddleOCR's inference defaults for DB post-processing (det_db_thresh, box_thresh, unclip_ratio). */
const PIXEL_THRESHOLD = 0.3;
const BOX_THRESHOLD = 0.6;
const UNCLIP_RATIO = 1.5;
const MIN_SIDE = 3;
const DET_MEAN = [0.485, 0.456, 0.406] as const;
const DET_STD = [0.229, 0.224, 0.225] as const;

/**
 * Runs the DB text detector. The image is scaled so its long side is at most `maxSide` and both
 * sides are multiples of 32 (the network's stride); boxes come back in the input's pixels.
 */
export async function detectText(session: ort.InferenceSession, image: Raster, maxSide = 1024): Promise<TextBox[]> {
  const scale = Math.min(1, maxSide / Math.max(image.width, image.height));
  const w = Math.max(32, Math.round((image.width * scale) / 32) * 32);
  const h = Math.max(32, Math.round((image.height * scale) / 32) * 32);
  const input = w === image.width && h === image.height ? image : resize(image, w, h);
  const tensor = toBgrTensor(input, DET_MEAN, DET_STD);
  const inputName = session.inputNames[0]!;
  const outputs = await session.run({ [inputName]: tensor });
  const output = outputs[session.outputNames[0]!]!;
  const [, , mh, mw] = output.dims as number[];
  const boxes = boxesFromProbabilityMap(output.data as Float32Array, mw!, mh!);
  tensor.dispose();
  output.dispose();
  const rx = image.width / mw!;
  const ry = image.height / mh!;
  return boxes.map((b) => ({ ...b, x: b.x * rx, y: b.y * ry, width: b.width * rx, height: b.height * ry }));
}

/**
 * DB post-processing: threshold, 8-connected components, then each component's box grown by
 * the DB "unclip" distance (the network predicts shrunken text kernels). Axis-aligned on purpose:
 * the pipeline levels the card before the final detection pass.
 */
function boxesFromProbabilityMap(prob: Float32Array, width: number, height: number): TextBox[] {
  const labels = new Int32Array(width * height);
  const stack = new Int32Array(width * height);
  const boxes: TextBox[] = [];
  let next = 0;
  for (let start = 0; start < prob.length; start++) {
    if (labels[start] !== 0 || prob[start]! <= PIXEL_THRESHOLD) continue;
    next++;
    let top = 0;
    stack[top++] = start;
    labels[start] = next;
    let n = 0;
    let sum = 0;
    let minX = width;
    let minY = height;
    let maxX = -1;
    let maxY = -1;
    let sx = 0;
    let sy = 0;
    let sxx = 0;
    let syy = 0;
    let sxy = 0;
    while (top > 0) {
      const p = stack[--top]!;
      const px = p % width;
      const py = (p - px) / width;
      n++;
      sum += prob[p]!;
      sx += px;
      sy += py;
      sxx += px * px;
      syy += py * py;
      sxy += px * py;
      if (px < minX) minX = px;
      if (px > maxX) maxX = px;
      if (py < minY) minY = py;
      if (py > maxY) maxY = py;
      for (let dy = -1; dy <= 1; dy++) {
        const ny = py + dy;
        if (ny < 0 || ny >= height) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const nx = px + dx;
          if (nx < 0 || nx >= width) continue;
          const q = ny * width + nx;
          if (labels[q] === 0 && prob[q]! > PIXEL_THRESHOLD) {
            labels[q] = next;
            stack[top++] = q;
          }
        }
      }
    }
    const bw = maxX - minX + 1;
    const bh = maxY - minY + 1;
    if (Math.min(bw, bh) < MIN_SIDE) continue;
    const score = sum / n;
    if (score < BOX_THRESHOLD) continue;
    const mx = sx / n;
    const my = sy / n;
    const cxx = sxx / n - mx * mx;
    const cyy = syy / n - my * my;
    const cxy = sxy / n - mx * my;
    const angle = (0.5 * Math.atan2(2 * cxy, cxx - cyy) * 180) / Math.PI;
    const root = Math.sqrt(((cxx - cyy) / 2) ** 2 + cxy ** 2);
    const major = (cxx + cyy) / 2 + root;
    const minor = Math.max((cxx + cyy) / 2 - root, 1e-6);
    const elongation = Math.sqrt(major / minor);
    const d = (bw * bh * UNCLIP_RATIO) / (2 * (bw + bh));
    const x0 = Math.max(0, minX - d);
    const y0 = Math.max(0, minY - d);
    const x1 = Math.min(width, maxX + 1 + d);
    const y1 = Math.min(height, maxY + 1 + d);
    if (Math.min(x1 - x0, y1 - y0) < MIN_SIDE + 2) continue;
    boxes.push({ x: x0, y: y0, width: x1 - x0, height: y1 - y0, score, angle, elongation });
  }
  return boxes;
}
