/**
 * What the OCR stage hands to the card reader: the text lines found on a card image that has
 * already been decoded, turned upright, deskewed and cropped to the card.
 * Coordinates are pixels of that normalised card image (origin top-left).
 */
export interface OcrLine {
  /** The recognised text, NFKC-normalised (no full-width punctuation). */
  text: string;
  /** The recogniser's mean confidence for the line, 0..1. */
  score: number;
  /** Axis-aligned bounds of the detected text box. */
  box: { x: number; y: number; width: number; height: number };
  /**
   * One entry per character of `text`, in order, with its horizontal extent in card pixels,
   * estimated from the CTC time steps that emitted it. Wide gaps between neighbours are spaces the
   * recogniser dropped (`MARIATHERESIA`); empty when the engine cannot say.
   */
  chars: {
    char: string;
    x0: number;
    x1: number;
    score: number;
    /** What the recogniser nearly read instead, when it hesitated (see engine/recognize.ts). */
    alternative?: { char: string; score: number };
    /**
     * How dark the character's ink is against the paper around it, 0..1 (the darkest tenth of
     * its columns). Printed values are dark; a watermark or a background word is faint.
     * Absent from pages recorded before it existed.
     */
    ink?: number;
  }[];
  /**
   * Other readings of the line (a taller crop, other horizontal scales), each its characters and
   * their scores: only on a line that holds a NIK's run of digits (engine/nik-rereads.ts).
   */
  rereads?: { char: string; score: number }[][];
}

export interface PageBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface OcrPage {
  /** Size of the normalised card image the coordinates refer to. */
  width: number;
  height: number;
  lines: OcrLine[];
  /**
   * The holder's photo, found from the pixels (a large solid block on the card's right), in the
   * page's coordinates; absent when none was found. Values end before it; the issue place and
   * date are printed under it.
   */
  photo?: PageBox;
}
