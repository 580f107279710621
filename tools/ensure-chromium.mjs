#!/usr/bin/env node
// `npm test`'s first step: the browser tests (GraphiQL offline, the review page) drive Debian's
// Chromium through playwright-core, whose own browser download cannot work offline. So the
// test command installs the distribution's package when it is missing and it can (as root with
// apt-get, as on CI and the reference machine), and otherwise says exactly what to do, once,
// instead of letting the browser suites fail with a launch error.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const CHROMIUM = '/usr/bin/chromium';
if (existsSync(CHROMIUM)) process.exit(0);

const isRoot = process.getuid?.() === 0;
const hasApt = existsSync('/usr/bin/apt-get');
if (isRoot && hasApt) {
  console.log(`${CHROMIUM} is missing: installing Debian's chromium package for the browser tests`);
  const apt = (...args) => execFileSync('apt-get', args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  apt('update');
  apt('install', '-y', '--no-install-recommends', 'chromium');
  process.exit(0);
}
console.error(
  `The browser tests need Debian's Chromium at ${CHROMIUM}: run \`sudo apt-get install -y chromium\`, then \`npm test\` again.`,
);
process.exit(1);
