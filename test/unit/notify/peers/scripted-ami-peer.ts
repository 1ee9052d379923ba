import { createServer, type Server, type Socket } from 'node:net';

export type Fields = Array<[string, string]>;

/**
 * A scripted Asterisk manager port. It parses what the client sends on its own (CRLF-terminated
 * blocks only, as Asterisk documents the protocol) so the client's decoder is not testing itself.
 */
export class ScriptedAmiPeer {
  readonly logins: Fields[] = [];
  readonly actions: Fields[] = [];
  readonly logoffs: Fields[] = [];
  connections = 0;
  acceptSecret: string;
  /** Reply fields for an action (ActionID is added), or undefined to stay silent. */
  respond: (action: Fields) => Fields | undefined = () => [
    ['Response', 'Success'],
    ['Message', 'NOTIFY sent'],
  ];
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  port = 0;

  constructor(secret: string) {
    this.acceptSecret = secret;
  }

  async start(): Promise<void> {
    this.server = createServer((socket) => this.onConnection(socket));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', () => resolve()));
    this.port = (this.server.address() as { port: number }).port;
  }

  dropAll(): void {
    for (const socket of this.sockets) socket.destroy();
  }

  async stop(): Promise<void> {
    this.dropAll();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private onConnection(socket: Socket): void {
    this.connections += 1;
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => {});
    socket.write('Asterisk Call Manager/9.0.0\r\n');
    let buffer = '';
    socket.on('data', (chunk) => {
      buffer += chunk.toString();
      let end: number;
      while ((end = buffer.indexOf('\r\n\r\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 4);
        const fields = block.split('\r\n').map((line): [string, string] => {
          const colon = line.indexOf(': ');
          return [line.slice(0, colon), line.slice(colon + 2)];
        });
        this.onAction(socket, fields);
      }
    });
  }

  private onAction(socket: Socket, fields: Fields): void {
    const get = (name: string) => fields.find(([k]) => k === name)?.[1];
    const reply = (reply: Fields) =>
      socket.write(reply.map(([k, v]) => `${k}: ${v}\r\n`).join('') + `ActionID: ${get('ActionID')}\r\n\r\n`);
    switch (get('Action')) {
      case 'Login':
        this.logins.push(fields);
        if (get('Secret') === this.acceptSecret) {
          reply([
            ['Response', 'Success'],
            ['Message', 'Authentication accepted'],
          ]);
          // Unsolicited event the client must ignore.
          socket.write('Event: FullyBooted\r\nPrivilege: system,all\r\nStatus: Fully Booted\r\n\r\n');
        } else {
          reply([
            ['Response', 'Error'],
            ['Message', 'Authentication failed'],
          ]);
          socket.end();
        }
        return;
      case 'Logoff':
        this.logoffs.push(fields);
        reply([
          ['Response', 'Goodbye'],
          ['Message', 'Thanks for all the fish.'],
        ]);
        socket.end();
        return;
      default: {
        this.actions.push(fields);
        const response = this.respond(fields);
        if (response) {
          socket.write('Event: PeerStatus\r\nPeer: PJSIP/999\r\n\r\n');
          reply(response);
        }
      }
    }
  }
}
