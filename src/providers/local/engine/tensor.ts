import ort from 'onnxruntime-node';
import type { Raster } from '../pipeline/raster.ts';

type Triple = readonly [number, number, number];

/**
 * Writes `raster` as planar float32 in PaddleOCR's channel order into `out` at `offset`, one
 * image of a batch whose planes are `padToWidth` wide. PaddleOCR feeds OpenCV's BGR frames
 * straight to its models, so channel 0 is blue; matching that is worth points of accuracy on
 * every line. The columns past the raster's width are left as they are: zero in a fresh array,
 * which is what PaddleOCR pads batches with after normalisation.
 */
export function writeBgr(raster: Raster, mean: Triple, std: Triple, out: Float32Array, offset = 0, padToWidth = raster.width): void {
  const { width, height, data } = raster;
  const plane = padToWidth * height;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const s = (y * width + x) * 3;
      const d = offset + y * padToWidth + x;
      out[d] = (data[s + 2]! / 255 - mean[0]) / std[0];
      out[plane + d] = (data[s + 1]! / 255 - mean[1]) / std[1];
      out[2 * plane + d] = (data[s]! / 255 - mean[2]) / std[2];
    }
  }
}

/** One image as an NCHW tensor of batch 1 (see writeBgr). */
export function toBgrTensor(raster: Raster, mean: Triple, std: Triple): ort.Tensor {
  const out = new Float32Array(3 * raster.width * raster.height);
  writeBgr(raster, mean, std, out);
  return new ort.Tensor('float32', out, [1, 3, raster.height, raster.width]);
}
