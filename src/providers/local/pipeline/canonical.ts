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
    const warped = warpQuad(image, quad, w, h);
    const toQuad = homography([[0, 0], [w - 1, 0], [w - 1, h - 1], [0, h - 1]], quad);
    // A clockwise quarter turn took (x, y) of the warped card to (h - 1 - y, x).
    const unturn = (p: Point): Point => (portrait ? [p[1], h - 1 - p[0]] : p);
    return {
      image: portrait ? rotateQuarter(warped, 1) : warped,
      cardFound: true,
      quarterTurned: portrait,
      sourceLongSide: longSideOf(quad),
      toInput: (p) => applyHomography(toQuad, unturn(p)),
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

/** The longest edge of the quad: the card's long side as the camera saw it. */
function longSideOf(quad: readonly Point[]): number {
  return Math.max(...quad.map((p, i) => distance(p, quad[(i + 1) % quad.length]!)));
}
