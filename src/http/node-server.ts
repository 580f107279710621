import { createServer, type IncomingMessage, type RequestListener, type Server } from 'node:http';
import type { Socket } from 'node:net';
import type { GatewayConfig } from '../config.ts';

export type ServerLimits = Pick<GatewayConfig['server'], 'headersTimeoutMs' | 'requestTimeoutMs' | 'keepAliveTimeoutMs' | 'maxConnections' | 'maxConnectionsPerAddress'>;

export interface NodeServer {
  server: Server;
  /**
   * Stops taking connections and closes, at once, every connection that holds no request already
   * received in full: idle kept-alive ones, ones still sending headers, and slow bodies (nothing
   * was started for those, so nothing is lost). Requests received in full (a recognition may be
   * paid for already) are answered, then their connections close. Resolves `clean` when all
   * have been answered, or `forced` if `graceMs` passed first (their connections are then cut).
   */
  shutdown(graceMs: number): Promise<'clean' | 'forced'>;
}

/**
 * The HTTP server with bounds on slow and numerous clients: headers within `headersTimeoutMs`,
 * the whole request within `requestTimeoutMs` (Node answers 408 and closes), idle keep-alive
 * connections closed after `keepAliveTimeoutMs`, and at most `maxConnections` open at once
 * (Node closes the rest as they arrive), of which at most `maxConnectionsPerAddress` from one
 * peer address (closed as they arrive too, so one host cannot take every connection). Without
 * these, a body sent at a byte a second held its connection for Node's default 300 s, and 19,000
 * of them exhausted the file handles.
 */
export function createNodeServer(handler: RequestListener, limits: ServerLimits): NodeServer {
  const server = createServer(
    {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      // How often Node checks the two timeouts above; its default (30 s) would let a slow client
      // hold a connection for up to twice its timeout.
      connectionsCheckingInterval: Math.min(1_000, limits.headersTimeoutMs),
    },
    handler,
  );
  server.maxConnections = limits.maxConnections;

  const sockets = new Set<Socket>();
  /** The request each connection is on, until its response is done. */
  const current = new Map<Socket, IncomingMessage>();
  let stopping = false;
  let onIdle: (() => void) | undefined;

  /** Open connections per peer address; an address with none is forgotten. */
  const perAddress = new Map<string, number>();
  server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress ?? '';
    const open = perAddress.get(address) ?? 0;
    if (open >= limits.maxConnectionsPerAddress) {
      socket.destroy();
      return;
    }
    perAddress.set(address, open + 1);
    sockets.add(socket);
    socket.once('close', () => {
      const left = (perAddress.get(address) ?? 1) - 1;
      if (left === 0) perAddress.delete(address);
      else perAddress.set(address, left);
      sockets.delete(socket);
      current.delete(socket);
      if (stopping && current.size === 0) onIdle?.();
    });
  });
  server.on('request', (request: IncomingMessage, response) => {
    current.set(request.socket, request);
    response.once('close', () => {
      if (current.get(request.socket) === request) current.delete(request.socket);
      if (stopping) {
        // Answered: no keep-alive after a shutdown began.
        request.socket.destroySoon();
        if (current.size === 0) onIdle?.();
      }
    });
  });

  return {
    server,
    shutdown(graceMs) {
      stopping = true;
      server.close();
      for (const socket of sockets) {
        const request = current.get(socket);
        if (!request || !request.complete) {
          socket.destroy();
          current.delete(socket);
        }
      }
      if (current.size === 0) return Promise.resolve('clean');
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          for (const socket of sockets) socket.destroy();
          resolve('forced');
        }, graceMs);
        onIdle = () => {
          clearTimeout(timer);
          resolve('clean');
        };
      });
    },
  };
}
