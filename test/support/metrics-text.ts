/** The sum of every labelled sample of one Prometheus series in a `/metrics` answer (0 when it has none). */
export function sumSeries(metricsText: string, name: string): number {
  return metricsText
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`))
    .reduce((total, line) => total + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}
