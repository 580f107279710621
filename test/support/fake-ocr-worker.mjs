// A stand-in for the OCR engine's worker thread (src/providers/local/protocol.ts) for the queue
// tests: no models, a fixed reading time (FAKE_OCR_MS, default 50), and an identity whose name
// says which process read it. Each job start and end is printed, so a test counts real reads.
import { parentPort } from 'node:worker_threads';

const readMs = Number(process.env.FAKE_OCR_MS ?? 50);
parentPort.postMessage({ type: 'ready', loadMs: 0 });
parentPort.on('message', (job) => {
  console.log(`fake-ocr: start ${process.pid}`);
  setTimeout(() => {
    console.log(`fake-ocr: read ${process.pid}`);
    const fields = {
      id: '3171024302821001', name: `READ BY ${process.pid}`, pob: 'KENDARI', dob: '03-02-1982', gender: 'PEREMPUAN', address: 'JL. CONTOH',
      rt: '006', rw: '003', village: 'KAMBU', district: 'KAMBU', city: 'KOTA KENDARI', province: 'SULAWESI TENGGARA', religion: 'ISLAM',
      marital_status: 'KAWIN', work: 'KARYAWAN SWASTA', nationnality: 'WNI',
    };
    parentPort.postMessage({ type: 'done', id: job.id, result: { kind: 'identity', fields, confidence: {} } });
  }, readMs);
});
