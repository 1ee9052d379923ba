import type { Logger } from 'pino';
import { PeerConnectionError, ReconnectingClient, type ReconnectOptions } from '../reconnecting-client.js';
import { createEslDecoder, encodeEslCommand, eslHeader, type EslMessage } from './esl-protocol.js';

export interface EslConnectionConfig {
  host: string;
  port?: number;
  /** event_socket.conf.xml password: kept in a private field, never logged or put in an error. */
  password: string;
  commandTimeoutMs?: number;
  reconnect?: ReconnectOptions;
}

interface PendingReply {
  resolve: (message: EslMessage) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
  abandoned: boolean;
}

const REPLY_TYPES = new Set(['api/response', 'command/reply']);

/**
 * An inbound event-socket session: `auth` on every (re)connect, then commands whose replies
 * arrive in order. ESL has no request id, so a timed-out command keeps its place in the queue
 * and swallows its late reply instead of handing it to the next caller.
 */
export class EslClient extends ReconnectingClient<EslMessage> {
  protected readonly label = 'esl';
  readonly #password: string;
  private readonly commandTimeoutMs: number;
  private readonly replies: PendingReply[] = [];

  constructor(config: EslConnectionConfig, logger?: Logger) {
    super({ host: config.host, port: config.port ?? 8021 }, config.reconnect ?? {}, logger);
    this.#password = config.password;
    this.commandTimeoutMs = config.commandTimeoutMs ?? 10_000;
  }

  /** Runs `api <command>` and resolves with the api/response body. */
  async api(command: string): Promise<string> {
    const text = encodeEslCommand(`api ${command}`);
    await this.ready();
    return (await this.send(text, this.commandTimeoutMs)).body;
  }

  protected createDecoder(): (chunk: Buffer) => EslMessage[] {
    return createEslDecoder();
  }

  protected async handshake(): Promise<void> {
    for (;;) {
      const message = await this.nextMessage();
      if (eslHeader(message, 'content-type') === 'auth/request') break;
    }
    this.write(encodeEslCommand(`auth ${this.#password}`));
    for (;;) {
      const message = await this.nextMessage();
      if (eslHeader(message, 'content-type') !== 'command/reply') continue;
      if (eslHeader(message, 'reply-text')?.startsWith('+OK')) return;
      throw new PeerConnectionError(`esl authentication rejected at ${this.describePeer()}`, true);
    }
  }

  protected onMessage(message: EslMessage): void {
    if (!REPLY_TYPES.has(eslHeader(message, 'content-type') ?? '')) return;
    const pending = this.replies.shift();
    if (!pending || pending.abandoned) return;
    clearTimeout(pending.timer);
    pending.resolve(message);
  }

  protected onDisconnected(error: PeerConnectionError): void {
    for (const pending of this.replies.splice(0)) {
      clearTimeout(pending.timer);
      if (!pending.abandoned) pending.reject(error);
    }
  }

  protected async goodbye(): Promise<void> {
    await this.send(encodeEslCommand('exit'), Math.min(this.commandTimeoutMs, 1000));
  }

  private send(text: string, timeoutMs: number): Promise<EslMessage> {
    return new Promise((resolve, reject) => {
      const pending: PendingReply = {
        resolve,
        reject,
        abandoned: false,
        timer: setTimeout(() => {
          pending.abandoned = true;
          reject(new PeerConnectionError(`esl command timed out at ${this.describePeer()}`));
        }, timeoutMs),
      };
      try {
        this.write(text);
        this.replies.push(pending);
      } catch (error) {
        clearTimeout(pending.timer);
        reject(error);
      }
    });
  }
}
