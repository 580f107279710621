// Why this file is JavaScript: Node 20 does not apply loader hooks given through a worker's
// execArgv (`--import tsx`) to the worker's own entry file, and the project runs TypeScript
// without a build step. tsx's namespaced tsImport registers a loader for this thread only, so it
// behaves the same under `tsx src/server.ts`, under vitest and under plain node.
import { tsImport } from 'tsx/esm/api';

await tsImport('./worker.ts', import.meta.url);
