import { cpus, freemem, loadavg, totalmem } from 'node:os';

export interface MachineInfo {
  cores: number;
  cpuModel: string;
  memoryGiB: number;
  freeMemoryGiB: number;
  node: string;
  platform: string;
  /** 1, 5 and 15 minute load averages: the machine is shared, so a high figure marks a noisy run. */
  loadAverage: [number, number, number];
}

const round = (value: number, digits = 2) => Number(value.toFixed(digits));

export function machineInfo(): MachineInfo {
  const [one, five, fifteen] = loadavg();
  return {
    cores: cpus().length,
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    memoryGiB: round(totalmem() / 2 ** 30, 1),
    freeMemoryGiB: round(freemem() / 2 ** 30, 1),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    loadAverage: [round(one ?? 0), round(five ?? 0), round(fifteen ?? 0)],
  };
}

export function describeMachine(machine: MachineInfo): string {
  return `${machine.cores} cores (${machine.cpuModel}), ${machine.memoryGiB} GiB, Node ${machine.node}, load ${machine.loadAverage.join(' / ')}`;
}
