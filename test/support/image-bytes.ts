/**
 * Byte-level test inputs that sharp cannot (or should not) make: a BMP, broken and non-image files.
 * Each takes a `seed` where the bytes would otherwise collide across tests sharing a cache.
 */

/** A valid 24-bit BMP (BITMAPINFOHEADER) of `width`×`height` noise pixels. */
export function testBmp(seed: number, width = 96, height = 64): Uint8Array {
  const rowBytes = Math.ceil((width * 3) / 4) * 4;
  const pixelBytes = rowBytes * height;
  const offset = 14 + 40;
  const out = new Uint8Array(offset + pixelBytes);
  const view = new DataView(out.buffer);
  out[0] = 0x42; // B
  out[1] = 0x4d; // M
  view.setUint32(2, out.byteLength, true);
  view.setUint32(10, offset, true);
  view.setUint32(14, 40, true); // BITMAPINFOHEADER
  view.setInt32(18, width, true);
  view.setInt32(22, height, true);
  view.setUint16(26, 1, true); // planes
  view.setUint16(28, 24, true); // bits per pixel
  view.setUint32(34, pixelBytes, true);
  let state = seed || 1;
  for (let i = offset; i < out.byteLength; i++) {
    state = (state * 1103515245 + 12345) >>> 0;
    out[i] = state >>> 24;
  }
  return out;
}

/** A small but real-looking PDF: what a user uploads when they pick the scan instead of the photo. */
export function testPdf(seed = 0): Uint8Array {
  return new TextEncoder().encode(
    `%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n% seed ${seed}\ntrailer << /Root 1 0 R >>\n%%EOF\n`,
  );
}

export function testText(seed = 0): Uint8Array {
  return new TextEncoder().encode(`this is not a KTP, just a text file (${seed})\n`);
}

/** The first `fraction` of a file: an upload cut off in transit. */
export function truncated(bytes: Uint8Array, fraction = 0.5): Uint8Array {
  return bytes.slice(0, Math.floor(bytes.byteLength * fraction));
}
