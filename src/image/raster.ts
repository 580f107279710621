/**
 * The one image type passed between decoding and the offline engine's steps: tightly packed
 * 8-bit RGB, row-major.
 */
export interface Raster {
  width: number;
  height: number;
  /** width * height * 3 bytes, R G B. */
  data: Uint8Array;
}
