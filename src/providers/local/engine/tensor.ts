import ort from 'onnxruntime-node';
import type { Raster } from '../pipeline/raster.ts';

/**
 * NCHW float32 in PaddleOCR's channel order. PaddleOCR feeds OpenCV's BGR frames straight to its
 * models, so channel 0 is blue; matching that is worth points of accuracy on every line.
 */
export function toBgrTensor(
  raster: Raster,
  mean: readonly [number, number, number],
  std: readonly [number, number, number],
  padToWidth = raster.width,
): ort.Tensor {
  const { width, height, data } = raster;
  const plane = padToWidth * height;
  // Zero after normalisation: PaddleOCR pads recogniser batches with zeros too.
  const out = new Float32Array(3 * plane);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const s = (y * width + x) * 3;
      const d = y * padToWidth + x;
      out[d] = (data[s + 2]! / 255 - mean[0]) / std[0];
      out[plane + d] = (data[s + 1]! / 255 - mean[1]) / std[1];
      out[2 * plane + d] = (data[s]! / 255 - mean[2]) / std[2];
    }
  }
  return new ort.Tensor('float32', out, [1, 3, height, padToWidth]);
}
