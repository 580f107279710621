/**
 * An ESTIMATE of the heap memory a value holds, in bytes, for bounding a cache by memory rather
 * than by characters of JSON. It models V8 on 64-bit with pointer compression off, rounding up:
 * a string is a 16-byte header plus a byte per Latin-1 character (two per character beyond it),
 * a number 16 (a boxed double), an object 24 plus 16 per property (a slot and its share of the
 * hidden class), an array 32 plus 8 per element, each to a multiple of 8. It is meant to be
 * at or above what the heap measures for the outcomes we cache (a test checks it against
 * `process.memoryUsage()`), never exact: shared strings and hidden classes are not followed.
 */
export function estimateBytes(value: unknown): number {
  let total = 0;
  const stack: unknown[] = [value];
  const seen = new Set<object>();
  while (stack.length > 0) {
    const item = stack.pop();
    switch (typeof item) {
      case 'string':
        total += align(16 + item.length * (LATIN1.test(item) ? 1 : 2));
        break;
      case 'number':
        total += 16;
        break;
      case 'bigint':
        total += align(16 + 8 * Math.ceil(item.toString(16).length / 16));
        break;
      case 'object': {
        if (item === null || seen.has(item)) break;
        seen.add(item);
        if (Array.isArray(item)) {
          total += align(32 + 8 * item.length);
          for (const element of item) stack.push(element);
        } else if (ArrayBuffer.isView(item)) {
          total += align(96 + item.byteLength);
        } else {
          const keys = Object.keys(item);
          total += align(24 + 16 * keys.length);
          for (const key of keys) stack.push((item as Record<string, unknown>)[key]);
        }
        break;
      }
      default:
        // booleans, undefined, symbols, functions: shared or not cached.
        break;
    }
  }
  return total;
}

/** True when every character fits in one byte (V8 stores such a string one byte per character). */
const LATIN1 = /^[\u0000-\u00ff]*$/;

function align(bytes: number): number {
  return Math.ceil(bytes / 8) * 8;
}
