/**
 * Loaded into the gateway's process by `bench/abuse.ts` (`node --import tsx --import
 * ./bench/support/probe.ts src/server.ts`): measures what only the server itself can see, the
 * longest its event loop was blocked and its peak RSS, and reports them over the IPC channel.
 * Benchmarks only; never part of the server.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';

export interface ProbeStats {
  type: 'stats';
  /** Longest event-loop delay since the last reset, in ms (the histogram's resolution is 5 ms). */
  maxBlockMs: number;
  /**
   * The same delay counted in CPU time the process used meanwhile (every thread's, so an upper
   * bound on the loop's own): on a loaded machine, and more so under `nice`, a process may wait
   * seconds for a core, which `maxBlockMs` counts as a block although no code of ours ran.
   */
  maxBlockCpuMs: number;
  /** Highest RSS sampled (every 20 ms) since the last reset, in MB. */
  peakRssMb: number;
  rssMb: number;
  /** CPU time the process used since the last reset (all its threads), in ms: what the work cost, whatever else the machine ran. */
  cpuMs: number;
}

if (process.send) {
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  const rss = () => process.memoryUsage.rss() / 1e6;
  let peak = rss();
  let cpu = process.cpuUsage();
  setInterval(() => {
    peak = Math.max(peak, rss());
  }, 20).unref();
  // A 5 ms tick: how late it fired, and how much CPU the process had in that time.
  const TICK_MS = 5;
  let maxBlockCpuMs = 0;
  let lastAt = performance.now();
  let lastCpu = process.cpuUsage();
  setInterval(() => {
    const now = performance.now();
    const used = process.cpuUsage(lastCpu);
    const late = now - lastAt - TICK_MS;
    maxBlockCpuMs = Math.max(maxBlockCpuMs, Math.min(late, (used.user + used.system) / 1000));
    lastAt = now;
    lastCpu = process.cpuUsage();
  }, TICK_MS).unref();
  process.on('message', (message: unknown) => {
    if (message === 'reset') {
      delay.reset();
      maxBlockCpuMs = 0;
      peak = rss();
      cpu = process.cpuUsage();
      process.send!({ type: 'reset' });
    } else if (message === 'stats') {
      peak = Math.max(peak, rss());
      const used = process.cpuUsage(cpu);
      const stats: ProbeStats = { type: 'stats', maxBlockMs: delay.max / 1e6, maxBlockCpuMs, peakRssMb: peak, rssMb: rss(), cpuMs: (used.user + used.system) / 1000 };
      process.send!(stats);
    }
  });
  // The channel must not keep the server alive on its own: it exits as it would without us.
  process.channel?.unref();
}
