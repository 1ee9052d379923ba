import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { PeerConnectionError, ReconnectingClient, type ReconnectOptions } from '../reconnecting-client.js';
import { amiField, createAmiDecoder, encodeAmiAction, type AmiField, type AmiMessage } from './ami-protocol.js';

export interface AmiConnectionConfig {
  host: string;
  port?: number;
  username: string;
  /** manager.conf secret: kept in a private field, never logged, never in an error message. */
  secret: string;
  actionTimeoutMs?: number;
  reconnect?: ReconnectOptions;
}

interface PendingAction {
  resolve: (message: AmiMessage) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/**
 * One manager session: `Login` on every (re)connect, then actions correlated to responses by
 * ActionID. Events are not subscribed (`Events: off`) and ignored if they arrive anyway.
 */
export class AmiClient extends ReconnectingClient<AmiMessage> {
  protected readonly label = 'ami';
  readonly #secret: string;
  private readonly username: string;
  private readonly actionTimeoutMs: number;
  private readonly idPrefix = randomBytes(4).toString('hex');
  private nextId = 1;
  private readonly pending = new Map<string, PendingAction>();

  constructor(config: AmiConnectionConfig, logger?: Logger) {
    super({ host: config.host, port: config.port ?? 5038 }, config.reconnect ?? {}, logger);
    this.username = config.username;
    this.#secret = config.secret;
    this.actionTimeoutMs = config.actionTimeoutMs ?? 10_000;
  }

  /** Sends an action once connected and logged in; resolves with its response. */
  async action(name: string, fields: readonly AmiField[]): Promise<AmiMessage> {
    await this.ready();
    return this.send(name, fields);
  }

  protected createDecoder(): (chunk: Buffer) => AmiMessage[] {
    return createAmiDecoder();
  }

  protected async handshake(): Promise<void> {
    const actionId = this.newActionId();
    this.write(
      encodeAmiAction([
        ['Action', 'Login'],
        ['ActionID', actionId],
        ['Username', this.username],
        ['Secret', this.#secret],
        ['Events', 'off'],
      ]),
    );
    for (;;) {
      const message = await this.nextMessage();
      if (amiField(message, 'ActionID') !== actionId) continue;
      if (amiField(message, 'Response')?.toLowerCase() === 'success') return;
      throw new PeerConnectionError(`ami login rejected for user ${this.username} at ${this.describePeer()}`, true);
    }
  }

  protected onMessage(message: AmiMessage): void {
    const actionId = amiField(message, 'ActionID');
    if (!actionId || amiField(message, 'Response') === undefined) return;
    const pending = this.pending.get(actionId);
    if (!pending) return;
    this.pending.delete(actionId);
    clearTimeout(pending.timer);
    pending.resolve(message);
  }

  protected onDisconnected(error: PeerConnectionError): void {
    for (const [id, pending] of this.pending) {
      this.pending.delete(id);
      clearTimeout(pending.timer);
      pending.reject(error);
    }
  }

  protected async goodbye(): Promise<void> {
    await this.send('Logoff', [], Math.min(this.actionTimeoutMs, 1000));
  }

  private send(name: string, fields: readonly AmiField[], timeoutMs = this.actionTimeoutMs): Promise<AmiMessage> {
    const actionId = this.newActionId();
    const text = encodeAmiAction([['Action', name], ['ActionID', actionId], ...fields]);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(actionId);
        reject(new PeerConnectionError(`ami action ${name} timed out at ${this.describePeer()}`));
      }, timeoutMs);
      this.pending.set(actionId, { resolve, reject, timer });
      try {
        this.write(text);
      } catch (error) {
        this.pending.delete(actionId);
        clearTimeout(timer);
        reject(error);
      }
    });
  }

  private newActionId(): string {
    return `${this.idPrefix}-${this.nextId++}`;
  }
}
