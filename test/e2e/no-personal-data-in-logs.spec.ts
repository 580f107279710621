import { afterAll, beforeAll, describe, expect } from 'vitest';
import { FAKE_API_KEY, startFakeEkycpro } from '../support/fake-ekycpro.ts';
import { collectConsole, collectedLogs, findPersonalData } from '../support/log-collector.ts';
import { startServerProcess } from '../support/server-process.ts';
import { badImageScenarios } from './scenarios/bad-images.ts';
import type { E2eTarget } from './scenarios/target.ts';
import { upstreamStatusScenarios } from './scenarios/upstream-statuses.ts';

/**
 * "No NIK or name in logs", checked where logs really go: the shared e2e scenarios (every answer
 * shape of the paid API, identities included, and every kind of bad image) run against `npm
 * start`'s process, whose stdout and stderr (its warnings, and any access log written there) are
 * collected along with this process's console; afterwards nothing collected may hold a synthetic
 * NIK or name, or any 16-digit number. The scan itself is shown to fail in personal-data-scan.spec.ts.
 */
let restoreConsole: () => void;
beforeAll(() => {
  restoreConsole = collectConsole();
});

afterAll(() => {
  restoreConsole();
  const logs = collectedLogs();
  // Not vacuous: the servers' own output was collected (their start-up line at least).
  expect(logs.some((chunk) => chunk.source === 'e2e server stdout' && chunk.text.includes('ktp-gateway: provider "ekycpro"'))).toBe(true);
  expect(findPersonalData(logs)).toEqual([]);
});

/** A production `npm start` in front of a fresh fake paid API: retries and breaker as the scenarios need. */
async function startServerTarget(): Promise<E2eTarget> {
  const fake = await startFakeEkycpro();
  const server = await startServerProcess(
    {
      KTP_PROVIDER: 'ekycpro',
      EKYCPRO_URL: fake.url,
      EKYCPRO_API_KEY: FAKE_API_KEY,
      EKYCPRO_TIMEOUT_MS: '5000',
      EKYCPRO_BREAKER_THRESHOLD: '1000',
      NODE_ENV: 'production',
      ALLOW_ANONYMOUS: 'true',
    },
    'e2e server',
  );
  return {
    graphqlUrl: `${server.origin}/graphql`,
    fake,
    async close() {
      await server.stop();
      await fake.close();
    },
  };
}

describe('the scenarios against npm start’s process, logs collected', () => {
  upstreamStatusScenarios(startServerTarget, { troubleCode: 'UPSTREAM_UNAVAILABLE' });
  badImageScenarios(startServerTarget);
});
