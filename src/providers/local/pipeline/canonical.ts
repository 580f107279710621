import { CANONICAL_HEIGHT, CANONICAL_WIDTH, findCardQuad, isPortrait } from './find-card.ts';
import { distance, type Point } from './geometry.ts';
import { applyHomography, homography, warpQuad } from './perspective.ts';
import { resize, rotateQuarter, type Raster } from './raster.ts';

export interface CanonicalCard {
  image: Raster;
  /** Whether a card outline was found (and the image is just the card, perspective undone). */
  cardFound: boolean;
  /** Whether the card lay turned by a quarter and was turned clockwise (it may now be upside down). */
  quarterTurned: boolean;
  /**
   * How many pixels the card's long side had in the source image. The canonical image is
   * CANONICAL_WIDTH wide whatever the source was; from a 640 px photo, the extra pixels carry no
   * extra detail, and the text detector need not look at them (see engine/read-page.ts).
   */
  sourceLongSide: number;
  /** Where a point of `image` lies in the input raster (the perspective and any turn undone). */
  toInput: (p: Point) => Point;
}

/**
 * The card cut out of the frame, perspective undone, landscape, CANONICAL_WIDTH wide, so that
 * every later step and the card reader see the same geometry whatever the camera did. Without a
 * card outline the whole frame is scaled to the same width and read as it is.
 */
export function toCanonicalCard(image: Raster): CanonicalCard {
  const quad = findCardQuad(image);
  if (quad !== null) {
    const portrait = isPortrait(quad);
    const [w, h] = portrait ? [CANONICAL_HEIGHT, CANONICAL_WIDTH] : [CANONICAL_WIDTH, CANONICAL_HEIGHT];
    const { image: warped, toSource: toQuad } = warpCard(image, quad, w, h);
    // A clockwise quarter turn took (x, y) of the warped card to (h - 1 - y, x).
    const unturn = (p: Point): Point => (portrait ? [p[1], h - 1 - p[0]] : p);
    return {
      image: portrait ? rotateQuarter(warped, 1) : warped,
      cardFound: true,
      quarterTurned: portrait,
      sourceLongSide: longSideOf(quad),
      toInput: (p) => toQuad(unturn(p)),
    };
  }
  const scale = CANONICAL_WIDTH / Math.max(image.width, image.height);
  const scaled = Math.abs(scale - 1) < 0.01 ? image : resize(image, Math.round(image.width * scale), Math.round(image.height * scale));
  const fx = image.width / scaled.width;
  const fy = image.height / scaled.height;
  return {
    image: scaled,
    cardFound: false,
    quarterTurned: false,
    sourceLongSide: Math.max(image.width, image.height),
    toInput: (p) => [p[0] * fx, p[1] * fy],
  };
}

/** Beyond this many source pixels per card pixel, the warp would skip source pixels. */
const MAX_WARP_STEP = 1.2;

/**
 * The card inside `quad`, warped to `width` x `height`, and where a point of the result lies in
 * `image`. The warp samples the source once per card pixel (bilinear), so a card shrunk by more
 * than about 1.2x would skip source pixels, and a thin stroke falling between samples would be
 * gone: the waist of an OCR-A 8 on a 1600 px screenshot was, and `86` was read as `6`. Such a
 * source is first area-averaged down to the card's own size, where every pixel counts.
 */
export function warpCard(image: Raster, quad: readonly Point[], width: number, height: number): { image: Raster; toSource: (p: Point) => Point } {
  const factor = Math.max(width, height) / longSideOf(quad);
  const shrink = factor * MAX_WARP_STEP < 1;
  const source = shrink ? resize(image, Math.max(1, Math.round(image.width * factor)), Math.max(1, Math.round(image.height * factor))) : image;
  const [fx, fy] = [source.width / image.width, source.height / image.height];
  const scaled = quad.map(([x, y]) => [x * fx, y * fy] as Point);
  const toScaled = homography([[0, 0], [width - 1, 0], [width - 1, height - 1], [0, height - 1]], scaled);
  return {
    image: warpQuad(source, scaled, width, height),
    toSource: (p) => {
      const [x, y] = applyHomography(toScaled, p);
      return [x / fx, y / fy];
    },
  };
}

/** The longest edge of the quad: the card's long side as the camera saw it. */
function longSideOf(quad: readonly Point[]): number {
  return Math.max(...quad.map((p, i) => distance(p, quad[(i + 1) % quad.length]!)));
}
