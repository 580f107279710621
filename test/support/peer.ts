import { request as httpRequest } from 'node:http';
import { connect, type Socket } from 'node:net';
import { assertNoSecret, type GatewayResponse, type GraphQLBody } from './gateway-server.ts';

/**
 * Clients from another loopback address than 127.0.0.1 (all of 127/8 is loopback on Linux), for
 * tests of what the gateway shares out per peer address: "another client" is then another host.
 */

/** `request` (gateway-server.ts) from `localAddress`: the same RequestInit, sent by node:http. */
export async function requestFrom(localAddress: string, url: string, init: RequestInit = {}): Promise<GatewayResponse> {
  const prepared = new Request(url, init);
  const body = Buffer.from(await prepared.arrayBuffer());
  const headers: Record<string, string> = Object.fromEntries(prepared.headers);
  headers['content-length'] = String(body.byteLength);
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(url, { method: prepared.method, headers, localAddress, agent: false }, (incoming) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('error', reject);
      incoming.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        assertNoSecret(text);
        let json: GraphQLBody | undefined;
        try {
          json = JSON.parse(text) as GraphQLBody;
        } catch {
          json = undefined;
        }
        const answered = new Headers();
        for (const [name, value] of Object.entries(incoming.headers)) if (typeof value === 'string') answered.set(name, value);
        resolve({ status: incoming.statusCode ?? 0, headers: answered, text, json });
      });
    });
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

export interface SlowUpload {
  socket: Socket;
  /** Everything the server sent before it closed the connection. */
  closed: Promise<string>;
}

/**
 * Opens a connection from `localAddress` and sends a POST's headers (declaring `contentLength`)
 * and `first` bytes of its body, then nothing more unless the test writes it: a slow or stalled
 * uploader. Resolves once `first` is handed to the kernel.
 */
export function startUpload(port: number, head: { path: string; headers: Record<string, string>; contentLength: number }, first: Uint8Array = new Uint8Array(0), localAddress = '127.0.0.1'): Promise<SlowUpload> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: '127.0.0.1', localAddress });
    let received = '';
    socket.on('data', (data) => (received += data.toString('latin1')));
    const closed = new Promise<string>((done) => socket.on('close', () => done(received)));
    socket.once('error', reject);
    socket.once('connect', () => {
      socket.on('error', () => {});
      const lines = [`POST ${head.path} HTTP/1.1`, 'Host: gateway.test', `Content-Length: ${head.contentLength}`, ...Object.entries(head.headers).map(([name, value]) => `${name}: ${value}`)];
      socket.write(`${lines.join('\r\n')}\r\n\r\n`);
      socket.write(first, () => resolve({ socket, closed }));
    });
  });
}
