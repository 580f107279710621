/**
 * Decodes the contract's `img` parameter. Real clients send plain base64, but also data URLs
 * (`data:image/jpeg;base64,...`, what a browser's FileReader gives) and URL-safe base64 (`-_`,
 * unpadded): all three are accepted. Returns null when the text is not base64 at all.
 */
export function decodeImgParameter(text: string): Uint8Array | null {
  // Line breaks come from encoders that wrap at 76 columns (and from files that end in one); form
  // encoding turns '+' into ' ' when a client forgets to percent-encode it. Neither is meaningful
  // inside base64. Spaces are not trimmed: a leading or trailing one is a '+' like any other.
  let payload = text.replace(/[\r\n\t]/g, '');
  if (payload.trim() === '') return new Uint8Array(0); // blank: no image was sent
  const dataUrl = /^data:[^,]*?;base64,/i.exec(payload);
  if (dataUrl) payload = payload.slice(dataUrl[0].length);
  payload = payload.replace(/ /g, '+');
  if (!/^[A-Za-z0-9+/\-_]*={0,2}$/.test(payload)) return null;
  if (/[+/]/.test(payload) && /[-_]/.test(payload)) return null; // two alphabets mixed: not base64
  const standard = payload.replace(/-/g, '+').replace(/_/g, '/').replace(/=+$/, '');
  if (standard.length % 4 === 1) return null; // no base64 text has this length
  return new Uint8Array(Buffer.from(standard, 'base64'));
}
