import { afterAll, beforeAll } from 'vitest';
import { loadModels, releaseModels, type Models } from '../../../src/providers/local/engine/models.ts';

/**
 * The real engine's models for one spec file, on one onnxruntime thread: loaded before its tests,
 * released after them. Returns a getter, since the models exist only once `beforeAll` has run.
 */
export function useEngineModels(): () => Models {
  let models: Models | undefined;
  beforeAll(async () => {
    models = await loadModels({ threads: 1 });
  });
  afterAll(async () => {
    if (models) await releaseModels(models);
  });
  return () => {
    if (!models) throw new Error('the engine models are not loaded yet (use them inside a test)');
    return models;
  };
}
