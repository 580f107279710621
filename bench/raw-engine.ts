/**
 * The bare engine call, for the accuracy benchmark's baseline: @gutenye/ocr-node's own
 * `Ocr.detect` on the image as it is (no card finding, no orientation, no CTC positions, no
 * card reader), in the calling thread. ocr-node (a dev dependency: the gateway never runs it) is
 * loaded lazily, so that `--no-raw` never pays for it and its OpenCV build.
 */
import sharp from 'sharp';
import { sniffFormat } from '../src/recognition/inspect-image.ts';
import { decodeBmp } from '../src/image/bmp.ts';

export interface RawEngineResult {
  /** What ocr-node returned, NFKC-normalised like our own lines, top to bottom. */
  lines: { text: string; score: number }[];
  /** Wall time of the detect call alone (model loading excluded), milliseconds. */
  ms: number;
}

interface OcrNode {
  detect(image: string, options?: object): Promise<{ text: string; mean: number }[]>;
}

let engine: Promise<OcrNode> | null = null;

/**
 * Runs ocr-node on `bytes` (jpeg, png or bmp). `threads` sets onnxruntime's intra-op threads on
 * first use only (the engine is created once per process); match the pool's per-worker threads
 * for a fair latency comparison.
 */
export async function rawEngineRecognize(bytes: Uint8Array, options: { threads?: number } = {}): Promise<RawEngineResult> {
  engine ??= (async () => {
    const { default: Ocr } = await import('@gutenye/ocr-node');
    const onnxOptions = { intraOpNumThreads: options.threads ?? 1, interOpNumThreads: 1 };
    return (await Ocr.create({ onnxOptions })) as unknown as OcrNode;
  })();
  const ocr = await engine;
  // ocr-node opens its input with sharp, which has no BMP loader: hand it a PNG instead.
  let input = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (sniffFormat(bytes) === 'bmp') {
    const raster = decodeBmp(bytes);
    input = await sharp(raster.data, { raw: { width: raster.width, height: raster.height, channels: 3 } }).png().toBuffer();
  }
  const started = performance.now();
  // Typed as a path, but ocr-node passes it straight to sharp(), which takes a Buffer as well.
  const lines = await ocr.detect(input as unknown as string);
  const ms = performance.now() - started;
  return { lines: lines.map((l) => ({ text: l.text.normalize('NFKC'), score: l.mean })), ms };
}
