/**
 * `--help` (or `-h`) for the `npm run` scripts: called before a script does anything (no Redis,
 * no server, no file written), it prints the usage and exits 0. Called first because a script's
 * parseArgs is strict and would refuse `--help` as an unknown option, and the env-only scripts
 * would ignore it and start the real run.
 */
export function answerHelp(usage: string, argv: readonly string[] = process.argv.slice(2)): void {
  if (!argv.includes('--help') && !argv.includes('-h')) return;
  process.stdout.write(usage.endsWith('\n') ? usage : `${usage}\n`);
  process.exit(0);
}
