import { RenderError, type DeviceRenderInput, type SipTransport } from './render.types.js';
import { displayText, exactText, hostName, port } from './values.js';

/** A line ready for a view model: cleaned, validated, defaults applied. */
export interface ResolvedLine {
  index: number;
  label: string;
  displayName: string;
  username: string;
  authName: string;
  password: string;
  server: string;
  /** Undefined only for DNS NAPTR lines without an explicit port (the phone resolves it). */
  port?: number;
  transport: SipTransport;
}

export interface LineSlots {
  /** One entry per line the model has: index i holds line i + 1, undefined = unassigned. */
  slots: Array<ResolvedLine | undefined>;
  /** The assigned, enabled lines in index order. */
  active: ResolvedLine[];
  warnings: string[];
}

const TRANSPORTS: readonly SipTransport[] = ['udp', 'tcp', 'tls', 'dns-naptr'];

export function defaultPort(transport: SipTransport): number | undefined {
  if (transport === 'tls') return 5061;
  if (transport === 'dns-naptr') return undefined;
  return 5060;
}

/**
 * Places the input lines into the model's line slots. Lines beyond the model's count are
 * dropped with a warning; disabled lines render like unassigned slots (cleared on the phone, so
 * an old password never lingers there). Duplicate or non-positive indexes are refused.
 */
export function resolveLines(input: DeviceRenderInput, lineCount: number, modelId: string): LineSlots {
  const { vendor, settings } = input;
  const slots: Array<ResolvedLine | undefined> = Array.from({ length: lineCount }, () => undefined);
  const seen = new Set<number>();
  const warnings: string[] = [];

  for (const line of [...input.lines].sort((a, b) => a.index - b.index)) {
    if (!Number.isInteger(line.index) || line.index < 1)
      throw new RenderError(`line index ${String(line.index)} is not a positive whole number`, vendor);
    if (seen.has(line.index)) throw new RenderError(`line ${line.index} is assigned twice`, vendor);
    seen.add(line.index);
    if (line.index > lineCount) {
      warnings.push(`line ${line.index} dropped: model ${modelId} has ${lineCount} line(s)`);
      continue;
    }
    if (!line.enabled) continue;

    const transport = line.transport ?? settings.sipTransport ?? 'udp';
    if (!TRANSPORTS.includes(transport))
      throw new RenderError(`line ${line.index} has an unknown SIP transport`, vendor);
    const server = line.server ?? settings.sipServer;
    if (server === undefined || server === '')
      throw new RenderError(
        `line ${line.index} has no SIP server (set sipServer on a profile or the device)`,
        vendor,
        'sip_server_missing',
      );
    const explicitPort = line.port ?? settings.sipPort;
    const username = exactText(`line ${line.index} SIP user`, line.username, vendor);
    if (username === '') throw new RenderError(`line ${line.index} has no SIP user`, vendor);

    slots[line.index - 1] = {
      index: line.index,
      label: displayText(line.label),
      displayName: displayText(line.displayName),
      username,
      authName: exactText(`line ${line.index} auth name`, line.authName, vendor) || username,
      password: exactText(`line ${line.index} password`, line.password, vendor),
      server: hostName(`line ${line.index} SIP server`, server, vendor),
      port:
        explicitPort === undefined ? defaultPort(transport) : port(`line ${line.index} SIP port`, explicitPort, vendor),
      transport,
    };
  }
  return { slots, active: slots.filter((s): s is ResolvedLine => s !== undefined), warnings };
}

/** "host" or "host:port" — the form most vendors put in a single proxy field. */
export function hostPort(line: ResolvedLine): string {
  const host = line.server;
  return line.port === undefined ? host : `${host}:${line.port}`;
}
