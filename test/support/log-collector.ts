import { readdirSync, readFileSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { expect } from 'vitest';
import { SAMPLE_IDENTITY } from './fake-ekycpro.ts';

/**
 * Everything the processes under test log, kept for one test file, so that a suite can assert that
 * no personal data ever reaches a log: the stdout and stderr of every server or worker process a
 * test spawns (where the server's access log and its warnings go), and the console of the test's
 * own process while in-process gateways run in it (Yoga logs through the console).
 *
 * Kept in memory, each chunk under the test file that was running when it arrived: test files share
 * their worker's modules (vitest `isolate: false`), and one file plants personal data on purpose
 * (personal-data-scan.spec.ts) that another file's scan must not find. The spec that collects
 * scans its own file's chunks in its afterAll.
 */
const entries: { file: string | undefined; source: string; text: string }[] = [];

const currentFile = () => expect.getState().testPath;

/** Records a chunk of log text under a label (a process name, `console.warn`, ...). */
export function recordLog(source: string, text: string): void {
  entries.push({ file: currentFile(), source, text });
}

/** Collects a child's stdout and stderr for as long as they are open. */
export function collectStreams(source: string, streams: { stdout?: Readable | null; stderr?: Readable | null }): void {
  streams.stdout?.on('data', (chunk) => recordLog(`${source} stdout`, String(chunk)));
  streams.stderr?.on('data', (chunk) => recordLog(`${source} stderr`, String(chunk)));
}

const CONSOLE_METHODS = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;

/** Copies everything this process writes through `console` into the collection; returns the undo. */
export function collectConsole(): () => void {
  const originals = CONSOLE_METHODS.map((name) => [name, console[name]] as const);
  for (const [name, original] of originals) {
    console[name] = (...args: unknown[]) => {
      recordLog(`console.${name}`, args.map((arg) => (typeof arg === 'string' ? arg : safeJson(arg))).join(' '));
      original.apply(console, args);
    };
  }
  return () => {
    for (const [name, original] of originals) console[name] = original;
  };
}

/** All the text collected so far while this test file ran, each chunk labelled. */
export function collectedLogs(): { source: string; text: string }[] {
  const file = currentFile();
  return entries.filter((entry) => entry.file === file).map(({ source, text }) => ({ source, text }));
}

/**
 * The personal data the suites send through the gateway: the fake paid API's sample identity and
 * every fixture card's truth. Names are matched as written on the card; NIKs as digits.
 */
export function syntheticPersonalData(): string[] {
  const cardsDir = new URL('../fixtures/cards/', import.meta.url);
  const truths = readdirSync(cardsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => JSON.parse(readFileSync(new URL(`${entry.name}/truth.json`, cardsDir), 'utf8')) as { id: string; name: string });
  return [SAMPLE_IDENTITY.id, SAMPLE_IDENTITY.name, ...truths.flatMap((truth) => [truth.id, truth.name])];
}

/** A 16-digit number standing alone: the shape of any NIK, synthetic or not (hex digests do not match). */
const NIK_SHAPE = /(?<![\dA-Za-z])\d{16}(?![\dA-Za-z])/g;

export interface PersonalDataFinding {
  source: string;
  /** What matched: a known synthetic value, or "a 16-digit number". Never the surrounding text. */
  what: string;
}

/**
 * Where personal data appears in the given log chunks: any of `known` (case-insensitive), or any
 * standalone 16-digit number. The findings name the kind of value and the log, so a failure does
 * not itself print the data into the test report.
 */
export function findPersonalData(chunks: { source: string; text: string }[], known: string[] = syntheticPersonalData()): PersonalDataFinding[] {
  const findings: PersonalDataFinding[] = [];
  for (const { source, text } of chunks) {
    const upper = text.toUpperCase();
    for (const value of known) {
      if (upper.includes(value.toUpperCase())) findings.push({ source, what: /^\d+$/.test(value) ? 'a known synthetic NIK' : 'a known synthetic name' });
    }
    if (text.match(NIK_SHAPE)) findings.push({ source, what: 'a 16-digit number' });
  }
  return findings;
}

function safeJson(value: unknown): string {
  try {
    return value instanceof Error ? `${value.name}: ${value.message}\n${value.stack ?? ''}` : JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
