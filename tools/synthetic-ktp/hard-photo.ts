/**
 * The `hardphoto` family: an everyday phone or chat-app photo of a card drawn by another family's
 * renderer (never the held-out `scan`). What phones and chat apps do to it, all from the seed:
 * the card only 520-760 px wide in a 1200x900 frame, strong perspective (a keystone, the card
 * turned up to 7 degrees), a laminate glare spot and a shadow band across the frame, slight
 * motion blur (1-7 px), 30 % of the photos turned by a quarter or a half, JPEG q55-72.
 */
import sharp from 'sharp';
import type { Rng } from './rng.ts';
import { composeOnTable, fromRaw, jpeg, type Raw, type RenderedImage, type TableShot } from './variants.ts';

/** The renderers a hard photo's card may come from: every family but `scan` (held out) and itself. */
export const HARD_PHOTO_SOURCES = ['classic', 'dejavu', 'phone', 'screenshot'] as const;
export type HardPhotoSource = (typeof HARD_PHOTO_SOURCES)[number];

const FRAME = { width: 1200, height: 900 } as const;
/** The card's width in the frame, pixels. */
const CARD_WIDTH = [520, 760] as const;

/**
 * A laminate glare spot on the card (an ellipse in card pixels, its core nearly blown out) and a
 * soft shadow band across the frame (a hand or the phone), as a TableShot's shade.
 */
function glareAndShadow(card: Raw, rng: Rng): NonNullable<TableShot['shade']> {
  const gu = rng.range(0.1, 0.9) * card.width;
  const gv = rng.range(0.15, 0.85) * card.height;
  const ga = rng.range(0.06, 0.16) * card.width;
  const gb = ga * rng.range(0.4, 0.8);
  const gTurn = rng.range(0, Math.PI);
  const [gc, gs] = [Math.cos(gTurn), Math.sin(gTurn)];
  const gPeak = rng.range(0.6, 0.85);
  // The shadow: a band at any angle through a point of the frame, darker in its middle.
  const sTurn = rng.range(0, Math.PI);
  const [nx, ny] = [Math.cos(sTurn), Math.sin(sTurn)];
  const sOffset = rng.range(0.25, 0.75) * FRAME.width * Math.abs(nx) + rng.range(0.25, 0.75) * FRAME.height * Math.abs(ny);
  const sHalf = rng.range(0.04, 0.12) * FRAME.width;
  const sSoft = rng.range(10, 40);
  const sDepth = rng.range(0.25, 0.45);
  return (x, y, u, v) => {
    const du = u - gu;
    const dv = v - gv;
    const along = (du * gc + dv * gs) / ga;
    const across = (-du * gs + dv * gc) / gb;
    const d2 = along * along + across * across;
    // A flat blown-out core, then a quick fall-off: glare has a hard-ish edge.
    const lift = d2 < 1 ? gPeak : d2 < 4 ? gPeak * Math.exp(-3 * (Math.sqrt(d2) - 1)) : 0;
    const dist = Math.abs(x * nx + y * ny - sOffset);
    const inShadow = dist <= sHalf ? 1 : dist >= sHalf + sSoft ? 0 : 1 - (dist - sHalf) / sSoft;
    return { gain: 1 - sDepth * inShadow, lift };
  };
}

/** A normalised line kernel `length` pixels long at `angle` radians (sharp convolves with it). */
function motionKernel(length: number, angle: number): { width: number; height: number; kernel: number[] } {
  const size = length % 2 === 1 ? length : length + 1;
  const kernel = new Array<number>(size * size).fill(0);
  const c = (size - 1) / 2;
  const steps = length * 4;
  for (let i = 0; i < steps; i++) {
    const t = (i / (steps - 1) - 0.5) * (length - 1);
    const kx = Math.round(c + t * Math.cos(angle));
    const ky = Math.round(c + t * Math.sin(angle));
    kernel[ky * size + kx]! += 1;
  }
  return { width: size, height: size, kernel };
}

/** The hard photo of a drawn card, as JPEG. */
export async function hardPhoto(card: Raw, rng: Rng): Promise<RenderedImage> {
  const shade = glareAndShadow(card, rng);
  const share = rng.range(CARD_WIDTH[0], CARD_WIDTH[1]) / FRAME.width;
  const shot: TableShot = { cardShare: [share, share], maxTurnDegrees: 7, keystone: [0.06, 0.14], shade };
  const photo = composeOnTable(card, rng, FRAME, shot);
  const blur = rng.int(1, 7);
  const blurAngle = rng.range(0, Math.PI);
  const turn = rng.chance(0.3) ? rng.pick([90, 180, 270] as const) : 0;
  const quality = rng.int(55, 72);
  let image = fromRaw(photo);
  if (blur > 1) image = sharp(await image.convolve(motionKernel(blur, blurAngle)).png().toBuffer());
  if (turn !== 0) image = image.rotate(turn);
  return { bytes: await jpeg(image, quality), ext: 'jpg' };
}
