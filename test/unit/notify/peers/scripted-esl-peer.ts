import { createServer, type Server, type Socket } from 'node:net';

/** A scripted FreeSWITCH inbound event socket: auth/request, auth, api commands, disconnect. */
export class ScriptedEslPeer {
  readonly auths: string[] = [];
  readonly commands: string[] = [];
  connections = 0;
  /** api/response body for a command, or undefined to stay silent. */
  respond: (command: string) => string | undefined = () => '+OK syncing all registrations matching specified call_id\n';
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private readonly silent: Array<{ socket: Socket; command: string }> = [];
  port = 0;

  constructor(private readonly password: string) {}

  async start(): Promise<void> {
    this.server = createServer((socket) => this.onConnection(socket));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', () => resolve()));
    this.port = (this.server.address() as { port: number }).port;
  }

  dropAll(): void {
    for (const socket of this.sockets) socket.destroy();
  }

  /** Answers commands that were left unanswered, in order (late replies). */
  answerLate(body: (command: string) => string): void {
    for (const { socket, command } of this.silent.splice(0)) this.apiResponse(socket, body(command));
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
    socket.write('Content-Type: auth/request\n\n');
    let buffer = '';
    socket.on('data', (chunk) => {
      buffer += chunk.toString();
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        this.onCommand(socket, line);
      }
    });
  }

  private onCommand(socket: Socket, line: string): void {
    if (line.startsWith('auth ')) {
      this.auths.push(line.slice(5));
      if (line.slice(5) === this.password) {
        socket.write('Content-Type: command/reply\nReply-Text: +OK accepted\n\n');
      } else {
        socket.write('Content-Type: command/reply\nReply-Text: -ERR invalid\n\n');
        const notice = 'Disconnected, goodbye.\nSee you at ClueCon! http://www.cluecon.com/\n';
        socket.end(`Content-Type: text/disconnect-notice\nContent-Length: ${notice.length}\n\n${notice}`);
      }
      return;
    }
    if (line === 'exit') {
      this.commands.push(line);
      socket.end('Content-Type: command/reply\nReply-Text: +OK bye\n\n');
      return;
    }
    if (line.startsWith('api ')) {
      const command = line.slice(4);
      this.commands.push(command);
      const body = this.respond(command);
      if (body === undefined) this.silent.push({ socket, command });
      else this.apiResponse(socket, body);
      return;
    }
    socket.write('Content-Type: command/reply\nReply-Text: -ERR command not found\n\n');
  }

  private apiResponse(socket: Socket, body: string): void {
    socket.write(`Content-Type: api/response\nContent-Length: ${Buffer.byteLength(body)}\n\n${body}`);
  }
}
