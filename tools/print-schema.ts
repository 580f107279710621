import { writeFileSync } from 'node:fs';
import { printContract } from '../src/schema/index.ts';

// Writes the client-facing contract; test/schema/schema.spec.ts fails when the two drift.
writeFileSync(new URL('../schema.graphql', import.meta.url), printContract());
console.log('schema.graphql written');
