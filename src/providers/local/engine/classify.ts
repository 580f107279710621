import ort from 'onnxruntime-node';
import { crop, resize, type Raster } from '../pipeline/raster.ts';
import { writeBgr } from './tensor.ts';

const CLS_HEIGHT = 48;
const CLS_WIDTH = 192;
const CLS_MEAN = [0.5, 0.5, 0.5] as const;
const CLS_STD = [0.5, 0.5, 0.5] as const;
/** The widest lines say most; the cls model is cheap but a card has ~30 regions. */
const MAX_LINES = 8;

/**
 * Whether the page is upside down, from PP-OCR's direction classifier (labels "0" and "180")
 * run on the widest text regions, each vote weighted by the region's width.
 */
export async function looksUpsideDown(
  session: ort.InferenceSession,
  image: Raster,
  boxes: readonly { x: number; y: number; width: number; height: number }[],
): Promise<boolean> {
  const chosen = boxes
    .filter((b) => b.width > b.height * 2)
    .sort((a, b) => b.width - a.width)
    .slice(0, MAX_LINES);
  if (chosen.length === 0) return false;
  const plane = CLS_HEIGHT * CLS_WIDTH;
  const data = new Float32Array(chosen.length * 3 * plane);
  chosen.forEach((box, n) => {
    const piece = crop(image, box.x, box.y, box.width, box.height);
    const w = Math.max(1, Math.min(CLS_WIDTH, Math.ceil((piece.width * CLS_HEIGHT) / piece.height)));
    const line = resize(piece, w, CLS_HEIGHT);
    // (v/255 - 0.5) / 0.5, zero padding on the right: PaddleOCR's ClsResizeImg.
    writeBgr(line, CLS_MEAN, CLS_STD, data, n * 3 * plane, CLS_WIDTH);
  });
  const tensor = new ort.Tensor('float32', data, [chosen.length, 3, CLS_HEIGHT, CLS_WIDTH]);
  const outputs = await session.run({ [session.inputNames[0]!]: tensor });
  const output = outputs[session.outputNames[0]!]!;
  const probs = output.data as Float32Array;
  let vote = 0;
  chosen.forEach((box, n) => {
    vote += box.width * (probs[n * 2 + 1]! - probs[n * 2]!);
  });
  tensor.dispose();
  output.dispose();
  return vote > 0;
}
