import { connect, type Socket } from 'node:net';
import { formatHost } from './sip-uri.js';
import { SipStreamDecoder, parseSipMessage, type SipMessage } from './sip-message.js';
import { NonInviteClientTransaction, type SipTimers, type TransactionResult } from './sip-transaction.js';
import type { ResolvedAddress } from './sip-local-address.js';

export interface TcpExchangeOptions {
  destination: ResolvedAddress;
  port: number;
  timers: SipTimers;
  bindAddress?: string;
  advertisedHost?: string;
  /** Builds the request once the local end of the connection is known (it goes into Via). */
  buildRequest: (sentBy: string, localHost: string) => { bytes: Buffer; matches: (response: SipMessage) => boolean };
  register: (socket: Socket) => () => void;
}

/**
 * One NOTIFY over its own TCP connection: connect, send, read responses off the stream until a
 * final one, close. Timer F bounds the whole exchange, connect included; no retransmissions.
 */
export function tcpExchange(options: TcpExchangeOptions): Promise<TransactionResult> {
  let socket: Socket | undefined;
  const transaction = new NonInviteClientTransaction({ reliable: true, timers: options.timers, transmit: () => {} });
  transaction.start();

  socket = connect({
    host: options.destination.address,
    port: options.port,
    family: options.destination.family,
    ...(options.bindAddress ? { localAddress: options.bindAddress } : {}),
  });
  const unregister = options.register(socket);
  socket.setNoDelay(true);
  const decoder = new SipStreamDecoder();
  let matches: ((response: SipMessage) => boolean) | undefined;

  socket.on('connect', () => {
    if (!socket || transaction.isTerminated) return;
    const localHost = options.advertisedHost ?? socket.localAddress ?? '127.0.0.1';
    const request = options.buildRequest(`${formatHost(localHost)}:${socket.localPort}`, localHost);
    matches = request.matches;
    socket.write(request.bytes);
  });
  socket.on('data', (chunk: Buffer) => {
    let frames: Buffer[];
    try {
      frames = decoder.push(chunk);
    } catch {
      transaction.onTransportError('EMSGSIZE');
      return;
    }
    for (const frame of frames) {
      const message = parseSipMessage(frame);
      if (message?.kind === 'response' && matches?.(message))
        transaction.onResponse(message.status!, message.reason ?? '');
    }
  });
  socket.on('error', (error: NodeJS.ErrnoException) => transaction.onTransportError(error.code ?? 'ESOCKET'));
  socket.on('close', () => transaction.onTransportError('ECONNRESET'));

  return transaction.result.finally(() => {
    unregister();
    socket?.destroy();
    socket = undefined;
  });
}
