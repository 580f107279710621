import { convexHull, distance, fitLine, intersect, lineThrough, minAreaRect, polygonArea, type Line, type Point } from './geometry.ts';
import { resize, type Raster } from './raster.ts';

/** ISO ID-1: 85.60 × 53.98 mm. */
const CARD_ASPECT = 85.6 / 53.98;
/** The canonical card the OCR page is measured in: what the card reader's geometry expects. */
export const CANONICAL_WIDTH = 1000;
export const CANONICAL_HEIGHT = Math.round(CANONICAL_WIDTH / CARD_ASPECT);

/** Work on a thumbnail: the quad only needs to be right to a pixel or two of the full image. */
const MASK_SIDE = 320;
/** Below this share of the frame the blob is a blue mug or a sticker, not a card held to the camera. */
const MIN_CARD_SHARE = 0.12;

/**
 * A WNI card's background is a pale blue: clearly bluer than red and bright. Wooden tables,
 * skin and white paper all fail the first test; the red photo background fails both (it
 * becomes a hole, which the hull ignores).
 */
function isCardBlue(r: number, g: number, b: number): boolean {
  return b - r >= 8 && b >= 130 && g >= 100;
}

/**
 * A WNA card's background is a light orange: much redder than blue, and bright in every channel
 * but blue. A wooden table is darker (its red stays under 200 in daylight); white paper is not
 * orange at all.
 */
function isCardOrange(r: number, g: number, b: number): boolean {
  return r >= 200 && g >= 130 && r - b >= 60 && g - b >= 25 && r - g <= 90;
}

/** The card colours, tried in this order: citizens' cards are the common case. */
const CARD_COLOURS = [isCardBlue, isCardOrange] as const;

/**
 * The card's four corners (top-left, top-right, bottom-right, bottom-left, in `image` pixels),
 * or null when no card-shaped light-blue (WNI) or light-orange (WNA) region is found; the caller then reads the whole frame.
 * Largest blue blob → boundary points → minimum-area rectangle → one line fitted per side on the
 * middle of that side (rounded corners and perspective both bend the ends) → corners where the
 * lines meet.
 */
export function findCardQuad(image: Raster): Point[] | null {
  const scale = Math.min(1, MASK_SIDE / Math.max(image.width, image.height));
  const small = scale < 1 ? resize(image, Math.max(1, Math.round(image.width * scale)), Math.max(1, Math.round(image.height * scale))) : image;
  for (const isCardColour of CARD_COLOURS) {
    const quad = findQuadOfColour(small, isCardColour, image);
    if (quad) return quad;
  }
  return null;
}

function findQuadOfColour(small: Raster, isCardColour: (r: number, g: number, b: number) => boolean, image: Raster): Point[] | null {
  const { width: w, height: h, data } = small;
  const mask = new Uint8Array(w * h);
  for (let i = 0; i < w * h; i++) mask[i] = isCardColour(data[i * 3]!, data[i * 3 + 1]!, data[i * 3 + 2]!) ? 1 : 0;
  const blob = largestComponent(mask, w, h);
  if (blob === null || blob.size < MIN_CARD_SHARE * w * h) return null;

  const boundary = boundaryPoints(blob.labels, blob.id, w, h);
  const hull = convexHull(boundary);
  if (hull.length < 3 || polygonArea(hull) < MIN_CARD_SHARE * w * h) return null;
  const rect = minAreaRect(hull);
  const sides: Line[] = [];
  for (let i = 0; i < 4; i++) {
    const a = rect[i]!;
    const b = rect[(i + 1) % 4]!;
    sides.push(fitSide(boundary, a, b) ?? lineThrough(a, b));
  }
  const corners: Point[] = [];
  for (let i = 0; i < 4; i++) {
    const p = intersect(sides[(i + 3) % 4]!, sides[i]!);
    if (p === null) return null;
    corners.push(p);
  }
  // Exact per-axis factors: the thumbnail's sides were rounded to whole pixels.
  const fx = image.width / w;
  const fy = image.height / h;
  const quad = orderCorners(corners).map(([x, y]): Point => [x * fx, y * fy]);
  const top = distance(quad[0]!, quad[1]!);
  const bottom = distance(quad[3]!, quad[2]!);
  const left = distance(quad[0]!, quad[3]!);
  const right = distance(quad[1]!, quad[2]!);
  const ratio = Math.max(top + bottom, left + right) / Math.min(top + bottom, left + right);
  // A tilted phone shortens one pair of sides; beyond these bounds the blob is not a card.
  if (ratio < 1.15 || ratio > 2.2) return null;
  return quad;
}

/** Whether the quad's long sides run top-to-bottom: the card lies turned by a quarter. */
export function isPortrait(quad: readonly Point[]): boolean {
  const horizontal = distance(quad[0]!, quad[1]!) + distance(quad[3]!, quad[2]!);
  const vertical = distance(quad[0]!, quad[3]!) + distance(quad[1]!, quad[2]!);
  return vertical > horizontal;
}

function fitSide(boundary: readonly Point[], a: Point, b: Point): Line | null {
  const len = distance(a, b);
  if (len === 0) return null;
  const ux = (b[0] - a[0]) / len;
  const uy = (b[1] - a[1]) / len;
  const band = Math.max(2, len * 0.06);
  const near: Point[] = [];
  for (const p of boundary) {
    const along = (p[0] - a[0]) * ux + (p[1] - a[1]) * uy;
    const across = Math.abs(-(p[0] - a[0]) * uy + (p[1] - a[1]) * ux);
    if (across <= band && along >= len * 0.15 && along <= len * 0.85) near.push(p);
  }
  return near.length >= 5 ? fitLine(near) : null;
}

/** Clockwise on screen, starting at the corner nearest the top-left. */
function orderCorners(points: Point[]): Point[] {
  const cx = points.reduce((s, p) => s + p[0], 0) / points.length;
  const cy = points.reduce((s, p) => s + p[1], 0) / points.length;
  const sorted = [...points].sort((p, q) => Math.atan2(p[1] - cy, p[0] - cx) - Math.atan2(q[1] - cy, q[0] - cx));
  let first = 0;
  for (let i = 1; i < 4; i++) if (sorted[i]![0] + sorted[i]![1] < sorted[first]![0] + sorted[first]![1]) first = i;
  return [...sorted.slice(first), ...sorted.slice(0, first)];
}

function largestComponent(mask: Uint8Array, w: number, h: number): { labels: Int32Array; id: number; size: number } | null {
  const labels = new Int32Array(w * h);
  const stack = new Int32Array(w * h);
  let bestId = 0;
  let bestSize = 0;
  let id = 0;
  for (let start = 0; start < mask.length; start++) {
    if (mask[start] === 0 || labels[start] !== 0) continue;
    id++;
    let top = 0;
    let size = 0;
    stack[top++] = start;
    labels[start] = id;
    while (top > 0) {
      const p = stack[--top]!;
      size++;
      const x = p % w;
      const neighbours = [x > 0 ? p - 1 : -1, x < w - 1 ? p + 1 : -1, p >= w ? p - w : -1, p + w < w * h ? p + w : -1];
      for (const q of neighbours) {
        if (q >= 0 && mask[q] === 1 && labels[q] === 0) {
          labels[q] = id;
          stack[top++] = q;
        }
      }
    }
    if (size > bestSize) {
      bestSize = size;
      bestId = id;
    }
  }
  return bestId === 0 ? null : { labels, id: bestId, size: bestSize };
}

/** The outermost pixel of the blob on every row and every column: dense along each side, no holes. */
function boundaryPoints(labels: Int32Array, id: number, w: number, h: number): Point[] {
  const points: Point[] = [];
  for (let y = 0; y < h; y++) {
    let first = -1;
    let last = -1;
    for (let x = 0; x < w; x++) {
      if (labels[y * w + x] === id) {
        if (first < 0) first = x;
        last = x;
      }
    }
    if (first >= 0) points.push([first, y + 0.5], [last + 1, y + 0.5]);
  }
  for (let x = 0; x < w; x++) {
    let first = -1;
    let last = -1;
    for (let y = 0; y < h; y++) {
      if (labels[y * w + x] === id) {
        if (first < 0) first = y;
        last = y;
      }
    }
    if (first >= 0) points.push([x + 0.5, first], [x + 0.5, last + 1]);
  }
  return points;
}
