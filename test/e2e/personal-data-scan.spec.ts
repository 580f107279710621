import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { SAMPLE_IDENTITY } from '../support/fake-ekycpro.ts';
import { collectConsole, collectedLogs, collectStreams, findPersonalData, syntheticPersonalData } from '../support/log-collector.ts';

/**
 * The scan behind "no NIK or name in logs" must be able to fail: planted data is found, in the
 * places the suites collect from (a child's stdout and stderr, this process's console), and the
 * ordinary content of logs (hashes, ports, timestamps) is not mistaken for it.
 */
describe('the personal-data scan of collected logs', () => {
  it('knows the synthetic identities the suites send: the fake’s sample and every fixture card', () => {
    const known = syntheticPersonalData();
    expect(known).toContain('3171024302821001');
    expect(known).toContain('HELLO NAME');
    expect(known).toContain('3214070701550865');
    expect(known).toContain('PROF. DR. OTONG MUHAMMAD LUBIS HENDRA ARIFIN, S.H.');
    expect(known.length).toBe(2 + 2 * 4);
  });

  it('finds a planted NIK, a planted name (in any case), and any other 16-digit number', () => {
    const findings = findPersonalData([
      { source: 'a', text: `{"level":30,"msg":"recognized","nik":"${SAMPLE_IDENTITY.id}"}` },
      { source: 'b', text: 'warning: could not read hello name' },
      { source: 'c', text: 'unknown card 9999888877776666 refused' },
    ]);
    expect(findings).toEqual([
      { source: 'a', what: 'a known synthetic NIK' },
      { source: 'a', what: 'a 16-digit number' },
      { source: 'b', what: 'a known synthetic name' },
      { source: 'c', what: 'a 16-digit number' },
    ]);
  });

  it('does not flag what logs ordinarily hold: hex digests, ports, timestamps, durations', () => {
    const text = [
      'ktp-gateway: provider "local", GraphQL on http://localhost:40123/graphql',
      '{"time":1764541234567,"hash":"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08","ms":12.5}',
      'request 1234567890123456789 took 3 ms', // 19 digits: an id, not a NIK
    ].join('\n');
    expect(findPersonalData([{ source: 'x', text }])).toEqual([]);
  });

  it('collects a child’s stdout and stderr, and this process’s console', async () => {
    const child = spawn(process.execPath, ['-e', `console.log('read ${SAMPLE_IDENTITY.id}'); console.error('for ${SAMPLE_IDENTITY.name}')`], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    collectStreams('planted child', child);
    await once(child, 'close');
    const restore = collectConsole();
    try {
      console.warn('a planted name:', SAMPLE_IDENTITY.name);
    } finally {
      restore();
    }
    const sources = findPersonalData(collectedLogs()).map((finding) => finding.source);
    expect(sources).toEqual(expect.arrayContaining(['planted child stdout', 'planted child stderr', 'console.warn']));
  });
});
