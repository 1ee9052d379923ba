import { randomBytes, randomUUID } from 'node:crypto';
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import type { Socket as TcpSocket } from 'node:net';
import type { ResyncEvent } from '../notify.types.js';
import { buildNotifyRequest, parseCSeq, parseSipMessage, topViaBranch, type SipMessage } from './sip-message.js';
import { formatHost, formatSipUri, type SipUri } from './sip-uri.js';
import {
  NonInviteClientTransaction,
  RFC3261_TIMERS,
  type SipTimers,
  type TransactionResult,
} from './sip-transaction.js';
import { isWildcard, localAddressFor, resolveHost, type ResolvedAddress } from './sip-local-address.js';
import { tcpExchange } from './sip-tcp-exchange.js';

export interface SipClientOptions {
  /** Local address to bind; wildcard by default. */
  bindAddress?: string;
  /** Local UDP port; 0 (ephemeral) by default. */
  bindPort?: number;
  /** Host written into Via/From/Contact; by default the address routed towards the phone. */
  advertisedHost?: string;
  fromUser?: string;
  fromDomain?: string;
  userAgent?: string;
  timers?: SipTimers;
}

export interface SipNotifyRequest {
  requestUri: SipUri;
  transport: 'udp' | 'tcp';
  /** Where to send; defaults to the Request-URI's host and port (5060). */
  destination?: { host: string; port?: number };
  event: ResyncEvent;
}

interface PendingTransaction {
  transaction: NonInviteClientTransaction;
  cseq: number;
}

/**
 * Sends out-of-dialog NOTIFYs and reports each one's transaction outcome. One UDP socket per
 * address family serves every concurrent transaction; responses are matched by the top Via
 * branch and the CSeq (RFC 3261 §17.1.3). Each TCP NOTIFY gets its own short-lived connection.
 */
export class SipNotifyClient {
  private readonly timers: SipTimers;
  private readonly udpSockets = new Map<4 | 6, Promise<UdpSocket>>();
  private readonly pending = new Map<string, PendingTransaction>();
  private readonly tcpSockets = new Set<TcpSocket>();
  private closed = false;

  constructor(private readonly options: SipClientOptions = {}) {
    this.timers = options.timers ?? RFC3261_TIMERS;
  }

  async send(request: SipNotifyRequest): Promise<TransactionResult> {
    if (this.closed) return { kind: 'transport-error', code: 'ECLOSED', transmissions: 0 };
    const host = request.destination?.host ?? request.requestUri.host;
    const port = request.destination?.port ?? request.requestUri.port ?? 5060;
    let destination: ResolvedAddress;
    try {
      destination = await resolveHost(host);
    } catch (error) {
      return { kind: 'transport-error', code: (error as NodeJS.ErrnoException).code ?? 'ENOTFOUND', transmissions: 0 };
    }
    if (this.closed) return { kind: 'transport-error', code: 'ECLOSED', transmissions: 0 };
    return request.transport === 'tcp'
      ? this.sendTcp(request, destination, port)
      : this.sendUdp(request, destination, port);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const { transaction } of this.pending.values()) transaction.abort('ECLOSED');
    this.pending.clear();
    for (const socket of this.tcpSockets) socket.destroy();
    const sockets = await Promise.allSettled(this.udpSockets.values());
    await Promise.all(
      sockets.map((s) => (s.status === 'fulfilled' ? new Promise<void>((r) => s.value.close(() => r())) : undefined)),
    );
    this.udpSockets.clear();
  }

  private async sendUdp(
    request: SipNotifyRequest,
    destination: ResolvedAddress,
    port: number,
  ): Promise<TransactionResult> {
    let socket: UdpSocket;
    try {
      socket = await this.udpSocket(destination.family);
    } catch (error) {
      return { kind: 'transport-error', code: (error as NodeJS.ErrnoException).code ?? 'EBIND', transmissions: 0 };
    }
    const localHost = await this.localHost(destination, port);
    if (this.closed) return { kind: 'transport-error', code: 'ECLOSED', transmissions: 0 };
    const sentBy = `${formatHost(localHost)}:${socket.address().port}`;
    const { bytes, branch, cseq } = this.buildRequest(request, 'UDP', sentBy, localHost);
    const transaction = new NonInviteClientTransaction({
      reliable: false,
      timers: this.timers,
      transmit: () =>
        socket.send(bytes, port, destination.address, (error) => {
          if (error) transaction.onTransportError((error as NodeJS.ErrnoException).code ?? 'ESEND');
        }),
    });
    this.pending.set(branch.toLowerCase(), { transaction, cseq });
    transaction.start();
    return transaction.result.finally(() => this.pending.delete(branch.toLowerCase()));
  }

  private sendTcp(request: SipNotifyRequest, destination: ResolvedAddress, port: number): Promise<TransactionResult> {
    const bindAddress = isWildcard(this.options.bindAddress) ? undefined : this.options.bindAddress;
    return tcpExchange({
      destination,
      port,
      timers: this.timers,
      bindAddress,
      advertisedHost: this.options.advertisedHost,
      buildRequest: (sentBy, localHost) => {
        const built = this.buildRequest(request, 'TCP', sentBy, localHost);
        return { bytes: built.bytes, matches: (response) => responseMatches(response, built.branch, built.cseq) };
      },
      register: (socket) => {
        this.tcpSockets.add(socket);
        return () => this.tcpSockets.delete(socket);
      },
    });
  }

  private buildRequest(request: SipNotifyRequest, transport: 'UDP' | 'TCP', sentBy: string, localHost: string) {
    const branch = `z9hG4bK${randomBytes(12).toString('hex')}`;
    const cseq = 1;
    const fromUser = this.options.fromUser ?? 'provd';
    const contactParams = transport === 'TCP' ? ';transport=tcp' : '';
    const target = request.requestUri;
    const toUri = formatSipUri({
      scheme: target.scheme,
      user: target.user,
      host: target.host,
      port: target.port,
      params: new Map(),
    });
    const bytes = buildNotifyRequest({
      requestUri: formatSipUri(target),
      toUri,
      transport,
      sentBy,
      branch,
      fromUri: `sip:${fromUser}@${this.options.fromDomain ?? formatHost(localHost)}`,
      fromTag: randomBytes(6).toString('hex'),
      callId: randomUUID(),
      cseq,
      contactUri: `sip:${fromUser}@${sentBy}${contactParams}`,
      event: request.event.event,
      contentType: request.event.contentType,
      body: request.event.body,
      userAgent: this.options.userAgent,
    });
    return { bytes, branch, cseq };
  }

  private async localHost(destination: ResolvedAddress, port: number): Promise<string> {
    if (this.options.advertisedHost) return this.options.advertisedHost;
    if (!isWildcard(this.options.bindAddress)) return this.options.bindAddress!;
    return localAddressFor(destination, port);
  }

  private udpSocket(family: 4 | 6): Promise<UdpSocket> {
    let socket = this.udpSockets.get(family);
    if (!socket) {
      socket = this.bindUdp(family);
      this.udpSockets.set(family, socket);
      socket.catch(() => this.udpSockets.delete(family));
    }
    return socket;
  }

  private bindUdp(family: 4 | 6): Promise<UdpSocket> {
    const configured = this.options.bindAddress;
    const matchesFamily = configured && !isWildcard(configured) && configured.includes(':') === (family === 6);
    const address = matchesFamily ? configured : family === 6 ? '::' : '0.0.0.0';
    const port = matchesFamily || isWildcard(configured) ? (this.options.bindPort ?? 0) : 0;
    return new Promise((resolve, reject) => {
      const socket = createSocket({ type: family === 6 ? 'udp6' : 'udp4', ipv6Only: family === 6 });
      socket.once('error', reject);
      socket.bind({ address, port, exclusive: true }, () => {
        socket.off('error', reject);
        socket.on('error', () => {
          // Per-send errors arrive through send callbacks; a socket-level error leaves pending
          // transactions to Timer F.
        });
        socket.on('message', (data) => this.onDatagram(data));
        resolve(socket);
      });
    });
  }

  private onDatagram(data: Buffer): void {
    const message = parseSipMessage(data);
    if (message?.kind !== 'response') return;
    const branch = topViaBranch(message)?.toLowerCase();
    const pending = branch ? this.pending.get(branch) : undefined;
    if (!pending || !responseMatches(message, branch!, pending.cseq)) return;
    pending.transaction.onResponse(message.status!, message.reason ?? '');
  }
}

function responseMatches(response: SipMessage, branch: string, cseq: number): boolean {
  const cseqHeader = parseCSeq(response);
  return (
    topViaBranch(response)?.toLowerCase() === branch.toLowerCase() &&
    cseqHeader?.method === 'NOTIFY' &&
    cseqHeader.seq === cseq
  );
}
