// HTTP/1.1 by hand over node:net, for what fetch will not send (malformed paths and headers, a
// body announced but never sent) and to see when the answer comes relative to the body.
import net from 'node:net';

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** Bytes of the request body written when the first byte of the answer arrived. */
  bodySentBeforeAnswer: number;
}

export interface RawOptions {
  /** A body of this many bytes (of `fill`) is announced by the caller's headers and streamed after them. */
  bodySize?: number;
  /** Stop streaming the body after this many bytes (the rest is never sent). */
  sendAtMost?: number;
  fill?: number;
  /** The request was HEAD: the answer has no body whatever its Content-Length says. */
  head?: boolean;
  timeoutMs?: number;
}

/** Sends `head` (request line, headers and the blank line) and then the body, and reads one answer. */
export function rawRequest(baseUrl: string, head: string, opts: RawOptions = {}): Promise<RawResponse> {
  const u = new URL(baseUrl);
  return new Promise<RawResponse>((resolve, reject) => {
    const sock = net.connect(Number(u.port), u.hostname);
    let buf = Buffer.alloc(0);
    let sent = 0;
    let answeredAt = -1;
    let settled = false;
    const finish = (err: Error | null, res?: RawResponse) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      sock.destroy();
      if (err) reject(err);
      else resolve(res!);
    };
    const timer = setTimeout(() => finish(new Error(`no complete answer within ${opts.timeoutMs ?? 15_000} ms; got: ${buf.toString('latin1').slice(0, 300)}`)), opts.timeoutMs ?? 15_000);
    const parse = (closed: boolean): RawResponse | null => {
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) return null;
      const [statusLine, ...lines] = buf.subarray(0, end).toString('latin1').split('\r\n');
      const headers: Record<string, string> = {};
      for (const l of lines) {
        const i = l.indexOf(':');
        if (i > 0) headers[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim();
      }
      const rest = buf.subarray(end + 4);
      const length = opts.head ? 0 : headers['content-length'] !== undefined ? Number(headers['content-length']) : null;
      if (length === null ? !closed : rest.length < length) return null;
      return {
        status: Number(statusLine!.split(' ')[1]),
        headers,
        body: rest.subarray(0, length ?? rest.length).toString('utf8'),
        bodySentBeforeAnswer: answeredAt,
      };
    };
    sock.on('data', (d: Buffer) => {
      if (answeredAt < 0) answeredAt = sent;
      buf = Buffer.concat([buf, d]);
      const res = parse(false);
      if (res) finish(null, res);
    });
    // The hub may close while the body is still being written: the answer already read counts.
    sock.on('error', () => {});
    sock.on('close', () => {
      const res = parse(true);
      finish(res ? null : new Error(`connection closed without a complete answer; got: ${buf.toString('latin1').slice(0, 300)}`), res ?? undefined);
    });
    sock.once('connect', () => {
      sock.write(head);
      const total = Math.min(opts.bodySize ?? 0, opts.sendAtMost ?? Infinity);
      const piece = Buffer.alloc(64 * 1024, opts.fill ?? 0x41);
      const pump = () => {
        while (sent < total && answeredAt < 0 && !sock.destroyed) {
          const n = Math.min(piece.length, total - sent);
          sent += n;
          if (!sock.write(piece.subarray(0, n))) return void sock.once('drain', pump);
        }
      };
      pump();
    });
  });
}

/** A request head: the request line, `Host`, the given headers, and the blank line. */
export function headOf(requestLine: string, headers: Record<string, string | number> = {}): string {
  const lines = [requestLine, 'Host: 127.0.0.1', ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
  return `${lines.join('\r\n')}\r\n\r\n`;
}
