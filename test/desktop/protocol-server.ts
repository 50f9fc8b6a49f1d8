// Protocol registration, the harness way: Electron hands each chamber://app/ request to the
// handler the shell registered with session.protocol.handle(); here an HTTP server on 127.0.0.1
// turns each request into the same WHATWG Request for chamber://app/<path>, calls that very
// handler, and writes its Response back. The window loads http://127.0.0.1:<port>/ instead of
// chamber://app/, and that is the only thing changed: in the headers the handler sends, the
// origin `chamber://app` is replaced by the harness origin (the CSP names it in script-src,
// worker-src and style-src), and nothing else is touched, so the page runs under the shell's
// own policy. WebSocket upgrades are refused and counted: the shell's page must never try one.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { APP_ORIGIN } from '../../electron/shell/app-protocol.ts';
import type { ProtocolLike } from '../../electron/shell/shell-main.ts';

type Handler = (request: Request) => Promise<Response>;

/** Hop-by-hop headers belong to this HTTP connection, not to the request Electron would build. */
const HOP_BY_HOP = new Set(['host', 'connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection']);

export class ProtocolServer implements ProtocolLike {
  private readonly server: http.Server;
  private readonly handlers = new Map<string, Handler>();
  origin = '';
  /** WebSocket upgrade attempts (URLs): direct sockets from the page. */
  readonly upgrades: string[] = [];
  /** Every request the handler saw, as chamber://app/ URLs. */
  readonly requests: Array<{ method: string; url: string; status: number }> = [];

  constructor() {
    this.server = http.createServer((req, res) => void this.serve(req, res));
    this.server.on('upgrade', (req, socket) => {
      this.upgrades.push(req.url ?? '');
      socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n');
    });
  }

  handle(scheme: string, handler: Handler): void {
    this.handlers.set(scheme, handler);
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.origin = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.origin;
  }

  /** chamber://app/x → http://127.0.0.1:port/x */
  toHarnessUrl(appUrl: string): string {
    return appUrl.startsWith(`${APP_ORIGIN}/`) ? this.origin + appUrl.slice(APP_ORIGIN.length) : appUrl;
  }

  /** http://127.0.0.1:port/x → chamber://app/x; any other URL is returned as it is (and is not the app). */
  toAppUrl(url: string): string {
    return url.startsWith(`${this.origin}/`) ? APP_ORIGIN + url.slice(this.origin.length) : url;
  }

  private async serve(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const handler = this.handlers.get('chamber');
    if (!handler) {
      res.writeHead(503).end();
      return;
    }
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (HOP_BY_HOP.has(name) || value === undefined) continue;
      for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
    }
    const method = req.method ?? 'GET';
    const hasBody = method !== 'GET' && method !== 'HEAD';
    const url = APP_ORIGIN + (req.url ?? '/');
    let response: Response;
    try {
      const chunks: Buffer[] = [];
      if (hasBody) for await (const chunk of req) chunks.push(chunk as Buffer);
      const body = hasBody ? Buffer.concat(chunks) : undefined;
      response = await handler(new Request(url, { method, headers, body }));
    } catch (err) {
      res.writeHead(500, { 'content-type': 'text/plain' }).end(`the protocol handler threw: ${(err as Error).message}`);
      return;
    }
    this.requests.push({ method, url, status: response.status });
    const out: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      out[name] = name === 'content-security-policy' ? value.replaceAll(APP_ORIGIN, this.origin) : value;
    });
    res.writeHead(response.status, out);
    if (!response.body) {
      res.end();
      return;
    }
    Readable.fromWeb(response.body as import('node:stream/web').ReadableStream<Uint8Array>).on('error', () => res.destroy()).pipe(res);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}
