import { Agent, request } from 'node:http';

export interface PhoneResponse {
  status: number;
  bytes: number;
  ms: number;
  headers: Record<string, string | string[] | undefined>;
  /** Set when the request failed without an answer ('timeout' or the socket error code). */
  error?: string;
}

/** One GET on the phone's own agent (its own keep-alive connection), with a per-request timeout. */
export function phoneGet(
  url: string,
  agent: Agent,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<PhoneResponse> {
  const started = process.hrtime.bigint();
  const elapsed = () => Number(process.hrtime.bigint() - started) / 1e6;
  return new Promise((resolve) => {
    const req = request(url, { agent, headers }, (res) => {
      let bytes = 0;
      res.on('data', (chunk: Buffer) => (bytes += chunk.length));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes, ms: elapsed(), headers: res.headers }));
      res.on('error', (error: NodeJS.ErrnoException) =>
        resolve({ status: 0, bytes, ms: elapsed(), headers: {}, error: error.code ?? error.message }),
      );
    });
    req.setTimeout(timeoutMs, () => {
      req.destroy();
      resolve({ status: 0, bytes: 0, ms: elapsed(), headers: {}, error: 'timeout' });
    });
    req.on('error', (error: NodeJS.ErrnoException) =>
      resolve({ status: 0, bytes: 0, ms: elapsed(), headers: {}, error: error.code ?? error.message }),
    );
    req.end();
  });
}

export function phoneAgent(): Agent {
  return new Agent({ keepAlive: true, maxSockets: 1 });
}
