import { connect, type Socket } from 'node:net';
import type { Logger } from 'pino';
import { backoffDelay } from './backoff.js';

export interface ReconnectOptions {
  /** First delay after a drop; doubles per failed attempt (500 ms). */
  initialDelayMs?: number;
  /** Ceiling for the delay (30 s). */
  maxDelayMs?: number;
  /** Connect plus login/auth must finish within this (5 s). */
  connectTimeoutMs?: number;
}

/** Raised for connection trouble; messages name the peer, never credentials. */
export class PeerConnectionError extends Error {
  constructor(
    message: string,
    readonly authFailed = false,
  ) {
    super(message);
    this.name = 'PeerConnectionError';
  }
}

type State = 'idle' | 'connecting' | 'ready' | 'waiting' | 'closed';

/**
 * A long-lived TCP session to a PBX manager port (Asterisk AMI, FreeSWITCH ESL): connects, runs
 * the subclass's login handshake, hands later messages to the subclass, and after a drop
 * reconnects in the background with backoff until closed.
 */
export abstract class ReconnectingClient<M> {
  protected abstract readonly label: string;
  private state: State = 'idle';
  private socket: Socket | undefined;
  private attempt = 0;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private lastError: Error | undefined;
  private readyWaiters = new Set<{ resolve: () => void; reject: (error: Error) => void }>();
  private handshaking = false;
  private handshakeInbox: M[] = [];
  private handshakeWaiter: ((message: M) => void) | undefined;

  protected constructor(
    protected readonly peer: { host: string; port: number },
    private readonly reconnect: ReconnectOptions,
    protected readonly logger?: Logger,
  ) {}

  protected abstract createDecoder(): (chunk: Buffer) => M[];
  /** Login/auth on a fresh connection; use write() and nextMessage(). Throw PeerConnectionError to fail. */
  protected abstract handshake(): Promise<void>;
  protected abstract onMessage(message: M): void;
  /** The connection is gone: fail whatever was waiting on it. */
  protected abstract onDisconnected(error: PeerConnectionError): void;
  /** Best-effort polite goodbye (Logoff, exit) before close. */
  protected abstract goodbye(): Promise<void>;

  get isReady(): boolean {
    return this.state === 'ready';
  }

  /** Connected and logged in; waits for a pending reconnect instead of opening another socket. */
  ready(): Promise<void> {
    if (this.state === 'ready') return Promise.resolve();
    if (this.state === 'closed') return Promise.reject(new PeerConnectionError(`${this.label} client closed`));
    if (this.state === 'idle') this.connectNow();
    const timeoutMs = this.connectTimeoutMs();
    return new Promise((resolve, reject) => {
      const waiter = {
        resolve: () => finish(() => resolve()),
        reject: (error: Error) => finish(() => reject(error)),
      };
      const timer = setTimeout(
        () =>
          waiter.reject(
            this.lastError ?? new PeerConnectionError(`${this.label} ${this.describePeer()} not connected`),
          ),
        timeoutMs,
      );
      const finish = (settle: () => void) => {
        clearTimeout(timer);
        this.readyWaiters.delete(waiter);
        settle();
      };
      this.readyWaiters.add(waiter);
    });
  }

  async close(): Promise<void> {
    if (this.state === 'closed') return;
    const wasReady = this.state === 'ready';
    clearTimeout(this.reconnectTimer);
    if (wasReady) await this.goodbye().catch(() => undefined);
    this.state = 'closed';
    this.socket?.destroy();
    this.socket = undefined;
    for (const waiter of [...this.readyWaiters]) waiter.reject(new PeerConnectionError(`${this.label} client closed`));
  }

  protected write(text: string): void {
    if (!this.socket || this.socket.destroyed)
      throw new PeerConnectionError(`${this.label} ${this.describePeer()} not connected`);
    this.socket.write(text);
  }

  /** Next message during the handshake. */
  protected nextMessage(): Promise<M> {
    const queued = this.handshakeInbox.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    return new Promise((resolve) => (this.handshakeWaiter = resolve));
  }

  protected describePeer(): string {
    return `${this.peer.host}:${this.peer.port}`;
  }

  private connectTimeoutMs(): number {
    return this.reconnect.connectTimeoutMs ?? 5000;
  }

  private connectNow(): void {
    this.state = 'connecting';
    const socket = connect({ host: this.peer.host, port: this.peer.port });
    this.socket = socket;
    const decode = this.createDecoder();
    const timer = setTimeout(
      () => socket.destroy(new PeerConnectionError(`${this.label} ${this.describePeer()} connect/login timed out`)),
      this.connectTimeoutMs(),
    );
    let failure: Error | undefined;
    socket.setNoDelay(true);
    socket.setKeepAlive(true, 30_000);
    socket.on('data', (chunk: Buffer) => {
      let messages: M[];
      try {
        messages = decode(chunk);
      } catch {
        socket.destroy(new PeerConnectionError(`${this.label} ${this.describePeer()} sent an unreadable message`));
        return;
      }
      for (const message of messages) this.dispatch(message);
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      failure =
        error instanceof PeerConnectionError
          ? error
          : new PeerConnectionError(`${this.label} ${this.describePeer()} connection error ${error.code ?? ''}`.trim());
    });
    socket.on('connect', () => {
      this.handshaking = true;
      this.handshake().then(
        () => {
          clearTimeout(timer);
          this.handshaking = false;
          if (this.socket !== socket || this.state !== 'connecting') return;
          this.state = 'ready';
          this.attempt = 0;
          this.lastError = undefined;
          this.logger?.info({ peer: this.describePeer() }, `${this.label} connected`);
          for (const waiter of [...this.readyWaiters]) waiter.resolve();
        },
        (error: unknown) => {
          failure =
            error instanceof PeerConnectionError ? error : new PeerConnectionError(`${this.label} login failed`);
          socket.destroy();
        },
      );
    });
    socket.on('close', () => {
      clearTimeout(timer);
      this.handshaking = false;
      this.handshakeInbox = [];
      this.handshakeWaiter = undefined;
      if (this.socket !== socket) return;
      this.socket = undefined;
      const error =
        (failure as PeerConnectionError | undefined) ??
        new PeerConnectionError(`${this.label} ${this.describePeer()} connection closed`);
      this.lastError = error;
      this.onDisconnected(error);
      for (const waiter of [...this.readyWaiters]) waiter.reject(error);
      if (this.state === 'closed') return;
      this.scheduleReconnect(error);
    });
  }

  private dispatch(message: M): void {
    if (!this.handshaking) {
      this.onMessage(message);
      return;
    }
    const waiter = this.handshakeWaiter;
    if (waiter) {
      this.handshakeWaiter = undefined;
      waiter(message);
    } else this.handshakeInbox.push(message);
  }

  private scheduleReconnect(error: PeerConnectionError): void {
    const delay = backoffDelay(
      this.attempt++,
      this.reconnect.initialDelayMs ?? 500,
      this.reconnect.maxDelayMs ?? 30_000,
    );
    this.state = 'waiting';
    this.logger?.warn(
      { peer: this.describePeer(), delayMs: delay, reason: error.message },
      `${this.label} disconnected; reconnecting`,
    );
    this.reconnectTimer = setTimeout(() => {
      if (this.state === 'waiting') this.connectNow();
    }, delay);
  }
}
