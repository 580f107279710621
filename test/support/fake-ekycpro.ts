import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CONTRACT_MESSAGES } from './contract.ts';

/**
 * A stand-in for the paid KTP OCR API: a real HTTP server on loopback that speaks the documented
 * contract, quirks included (`nationnality`, DD-MM-YYYY, everything in HTTP 200), validates requests
 * the way the real one does, and counts every call that reaches it, per image.
 *
 * What it answers is decided per call by `behaviour`, so one test can script a FAIL, an INNER_ERROR,
 * a 502 HTML page, a hang, malformed JSON, a missing message or an answer cut mid-body.
 */
export type FakeAnswer =
  | { kind: 'ok'; message?: Record<string, unknown> }
  | { kind: 'status'; status: string; message?: unknown; omitMessage?: boolean }
  | { kind: 'http'; status: number; contentType: string; body: string }
  | { kind: 'hang' }
  | { kind: 'destroy' }
  /** A 200 whose body starts (`body`, a prefix of a longer answer) and is then cut: the socket is destroyed. */
  | { kind: 'cut'; body: string };

export interface FakeCall {
  /** SHA-256 of the decoded `img`, or null when the request was not a valid one. */
  imageHash: string | null;
  apiKey: string | undefined;
  contentType: string | undefined;
}

export interface FakeEkycpro {
  url: string;
  calls: FakeCall[];
  /** Calls that reached the fake for one image. */
  callsFor(imageHash: string): number;
  /** Decide the answer to each valid call; the default recognises every image as `SAMPLE_IDENTITY`. */
  behaviour: (call: FakeCall, index: number) => FakeAnswer;
  /** Delay before answering, in ms (simulates the upstream's recognition time). */
  latencyMs: number;
  /** Requests open at the fake right now, and the most there ever were at once. */
  open: number;
  peakOpen: number;
  close(): Promise<void>;
}

export const FAKE_API_KEY = 'test-key-never-logged-7f3a';

/** The contract's own example answer (a synthetic person). */
export const SAMPLE_IDENTITY = {
  name: 'HELLO NAME',
  id: '3171024302821001',
  pob: 'GARESSI SUPPA',
  dob: '03-02-1982',
  gender: 'PEREMPUAN',
  address: 'BTN UNHALU BLOK C NO. 28',
  rt: '006',
  rw: '003',
  village: 'KAMBU',
  district: 'KAMBU',
  religion: 'ISLAM',
  marital_status: 'KAWIN',
  work: 'PEGAWAI NEGERI SIPIL (PNS)',
  nationnality: 'WNI',
  city: 'KOTA KENDARI',
  province: 'SULAWESI TENGGARA',
};

export async function startFakeEkycpro(options: { apiKey?: string } = {}): Promise<FakeEkycpro> {
  const apiKey = options.apiKey ?? FAKE_API_KEY;
  const hanging = new Set<ServerResponse>();
  const fake: FakeEkycpro = {
    url: '',
    calls: [],
    callsFor: (hash) => fake.calls.filter((call) => call.imageHash === hash).length,
    behaviour: () => ({ kind: 'ok' }),
    latencyMs: 0,
    open: 0,
    peakOpen: 0,
    close: () =>
      new Promise((resolve) => {
        for (const response of hanging) response.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };

  const server: Server = createServer(async (request, response) => {
    fake.open++;
    fake.peakOpen = Math.max(fake.peakOpen, fake.open);
    response.on('close', () => fake.open--);
    const body = await readBody(request);
    const call: FakeCall = {
      imageHash: null,
      apiKey: header(request, 'x-api-key'),
      contentType: header(request, 'content-type'),
    };
    const index = fake.calls.push(call) - 1;

    if (call.apiKey !== apiKey) return send(response, { status: 'INVALID_REQUEST', message: CONTRACT_MESSAGES.INVALID_REQUEST });
    if (!call.contentType?.startsWith('application/x-www-form-urlencoded')) {
      return send(response, { status: 'INVALID_REQUEST', message: CONTRACT_MESSAGES.INVALID_REQUEST });
    }
    const img = new URLSearchParams(body.toString('latin1')).get('img');
    if (!img) return send(response, { status: 'INVALID_REQUEST', message: CONTRACT_MESSAGES.INVALID_REQUEST });
    const bytes = Buffer.from(img, 'base64');
    call.imageHash = createHash('sha256').update(bytes).digest('hex');
    if (bytes.byteLength > 2 * 1024 * 1024) {
      return send(response, { status: 'IMAGE_INVALID_SIZE', message: CONTRACT_MESSAGES.IMAGE_INVALID_SIZE });
    }

    if (fake.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, fake.latencyMs));
    const answer = fake.behaviour(call, index);
    switch (answer.kind) {
      case 'ok':
        return send(response, { status: 'OK', message: answer.message ?? SAMPLE_IDENTITY });
      case 'status':
        return send(
          response,
          answer.omitMessage
            ? { status: answer.status }
            : { status: answer.status, message: answer.message ?? CONTRACT_MESSAGES[answer.status as keyof typeof CONTRACT_MESSAGES] ?? '' },
        );
      case 'http':
        response.writeHead(answer.status, { 'content-type': answer.contentType });
        return response.end(answer.body);
      case 'hang':
        hanging.add(response);
        response.on('close', () => hanging.delete(response));
        return;
      case 'destroy':
        return request.socket.destroy();
      case 'cut':
        response.writeHead(200, { 'content-type': 'application/json', 'content-length': String(answer.body.length + 512) });
        response.write(answer.body);
        // Let the head and the first bytes reach the client before the connection dies.
        return void setTimeout(() => request.socket.destroy(), 250);
    }
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/id_ocr/general`;
  return fake;
}

function send(response: ServerResponse, json: unknown): void {
  // The contract answers every status with HTTP 200.
  response.writeHead(200, { 'content-type': 'application/json' });
  response.end(JSON.stringify(json));
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
