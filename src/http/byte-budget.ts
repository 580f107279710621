/** `Retry-After` of a body refused for the budget or a share of it: uploads in flight end within seconds. */
export const BUSY_RETRY_AFTER_SECONDS = '1';

/**
 * Bytes of request bodies held in memory across every request in flight. A body is charged to
 * the budget chunk by chunk as it arrives (never its declared Content-Length up front: sockets
 * that declare 8 MB and send a byte a second would hold the budget with nothing sent), and
 * released when its answer is done. Each buffered byte costs roughly three more while it is
 * processed (the parsed file, the image, its base64), so the budget bounds the memory of uploads
 * in flight, however many clients send at once.
 *
 * Beside the total, each client and each address may hold only its share, so that one of them
 * cannot fill the budget and starve the others: a lease names its owner, and a chunk that would
 * pass the owner's share is refused even while the total has room.
 */
export interface ByteBudget {
  /** A lease for one request; release it when the request's answer is done. */
  lease(owner?: LeaseOwner): ByteLease;
  /** Bytes held right now. */
  readonly used: number;
  readonly max: number;
}

/** Who a request's bytes are charged to, beside the total; an unnamed owner has no share to keep. */
export interface LeaseOwner {
  /** The client's id; undefined for one that is everyone (the open server's anonymous client). */
  client?: string | undefined;
  /** The peer's IP address. */
  address?: string | undefined;
}

export interface ByteShares {
  /** Most bytes one client may hold; default the whole budget. */
  perClient?: number | undefined;
  /** Most bytes one address may hold; default the whole budget. */
  perAddress?: number | undefined;
}

export interface ByteLease {
  /** Takes `bytes` more for this request; false (and nothing taken) when the budget or the owner's share cannot hold them. */
  take(bytes: number): boolean;
  /** After a refused `take`: true when the owner's share refused it (its own doing), false when the total did (everyone's). */
  readonly overShare: boolean;
  /** Gives back everything this lease took. Idempotent. */
  release(): void;
}

export function createByteBudget(max: number, shares: ByteShares = {}): ByteBudget {
  let used = 0;
  const byClient = createTally(shares.perClient ?? max);
  const byAddress = createTally(shares.perAddress ?? max);
  return {
    get used() {
      return used;
    },
    max,
    lease(owner = {}) {
      let held = 0;
      let released = false;
      let overShare = false;
      return {
        get overShare() {
          return overShare;
        },
        take(bytes) {
          if (released) return false;
          // The total first: when it is full, the trouble is everyone's, whatever this owner holds.
          overShare = used + bytes <= max && (!byClient.fits(owner.client, bytes) || !byAddress.fits(owner.address, bytes));
          if (overShare || used + bytes > max) return false;
          used += bytes;
          held += bytes;
          byClient.add(owner.client, bytes);
          byAddress.add(owner.address, bytes);
          return true;
        },
        release() {
          if (released) return;
          released = true;
          used -= held;
          byClient.add(owner.client, -held);
          byAddress.add(owner.address, -held);
          held = 0;
        },
      };
    },
  };
}

/** Bytes held per owner name, up to `share` each; a name at zero is forgotten, so the map holds only owners in flight. */
function createTally(share: number) {
  const held = new Map<string, number>();
  return {
    fits: (name: string | undefined, bytes: number) => name === undefined || (held.get(name) ?? 0) + bytes <= share,
    add(name: string | undefined, bytes: number) {
      if (name === undefined) return;
      const now = (held.get(name) ?? 0) + bytes;
      if (now === 0) held.delete(name);
      else held.set(name, now);
    },
  };
}
