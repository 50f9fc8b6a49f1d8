// What the agent's loopback service accepts before any route runs. The agent listens on the
// tablet's loopback, where every web page the tablet opens can reach it, so:
//   - paths are decoded and normalised once, and routing and the forward allow-list both see
//     that one form (a guard on the raw URL let `/api/devices/%6frders` through to the hub);
//   - the Host header must name the agent itself (an IP literal or `localhost`, on its port),
//     which defeats DNS rebinding: a rebound page sends its own DNS name as Host;
//   - a browser's Origin must be one of the agent's own origins; non-browser clients (the
//     desktop shell's forwarder, tests, scripts) send none;
//   - JSON bodies must say application/json: the content types a cross-site form may send
//     without a CORS preflight (text/plain, urlencoded, multipart) are refused.
import type { IncomingMessage } from 'node:http';
import net from 'node:net';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { HttpError } from '../core/http-common.ts';
import { matchRoute, ROUTE_LIST, type RouteDef } from '../../shared/routes.ts';

// ---- paths --------------------------------------------------------------------------------

/**
 * `/a/%62/c?x` → `/a/b/c?x`: each segment percent-decoded and re-encoded in one spelling, empty
 * segments dropped. Null for a path no client of ours sends: malformed escapes, dot-segments,
 * encoded slashes or backslashes, control characters.
 */
export function canonicalUrl(raw: string): string | null {
  const q = raw.indexOf('?');
  const pathPart = q < 0 ? raw : raw.slice(0, q);
  const query = q < 0 ? '' : raw.slice(q);
  if (!pathPart.startsWith('/')) return null;
  const out: string[] = [];
  for (const seg of pathPart.split('/')) {
    if (seg === '') continue;
    let decoded: string;
    try {
      decoded = decodeURIComponent(seg);
    } catch {
      return null;
    }
    // eslint-disable-next-line no-control-regex
    if (decoded === '.' || decoded === '..' || /[/\\\u0000-\u001f\u007f]/.test(decoded)) return null;
    out.push(encodeSegment(decoded));
  }
  return `/${out.join('/')}${query}`;
}

/** encodeURIComponent, leaving the sub-delimiters a path segment may hold as they are. */
function encodeSegment(s: string): string {
  return encodeURIComponent(s).replace(/%(21|24|26|27|28|29|2A|2B|2C|3A|3B|3D|40)/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

// ---- what is forwarded to the hub ----------------------------------------------------------

/**
 * The hub routes a client may reach through the agent: those the route table (shared/routes.ts)
 * marks `agent: 'forward'`; everything else under /api is answered by the agent itself or 404.
 * Above all, `/api/devices/orders...` (the device's wipe orders) is the agent's own business with
 * the hub (`hub-only` in the table). Path parameters must pass their schemas (`:id` an id, `:sha`
 * a sha256).
 */
const FORWARDED: readonly RouteDef[] = ROUTE_LIST.filter((r) => r.agent === 'forward');

/** The route `method` on a canonical path (query ignored) forwards to the hub, or null when none. */
export function forwardedRoute(method: string, canonical: string): RouteDef | null {
  const q = canonical.indexOf('?');
  const segs = (q < 0 ? canonical : canonical.slice(0, q)).split('/').slice(1).map((s) => safeDecode(s));
  return matchRoute(method, segs, FORWARDED);
}

/** True when `method` on a canonical path (query ignored) may be forwarded to the hub. */
export function isForwarded(method: string, canonical: string): boolean {
  return forwardedRoute(method, canonical) !== null;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return '';
  }
}

// ---- Host and Origin -----------------------------------------------------------------------

const isLoopbackName = (h: string) => h === 'localhost' || h === '::1' || (net.isIPv4(h) && h.startsWith('127.'));
const isWildcard = (h: string) => h === '0.0.0.0' || h === '::';
const bare = (h: string) => (h.startsWith('[') && h.endsWith(']') ? h.slice(1, -1) : h).toLowerCase();

export interface OriginPolicy {
  /** True when the Host header names this service (its address or name, and its port). */
  hostAllowed(host: string | undefined): boolean;
  /** True for no Origin at all, or one of this service's own origins. */
  originAllowed(origin: string | undefined): boolean;
  /** The origins a browser page served by this agent has (for messages). */
  readonly origins: string[];
}

/**
 * For a service listening on `listenHost:port`. Loopback: its own address and `localhost`.
 * Any other address: that address. A wildcard bind (0.0.0.0, ::): any IP literal or localhost —
 * never a DNS name, which is what a rebinding page would send.
 */
export function originPolicy(listenHost: string, port: number): OriginPolicy {
  const listen = bare(listenHost);
  const nameAllowed = (hostname: string): boolean => {
    const h = bare(hostname);
    if (isWildcard(listen)) return h === 'localhost' || net.isIP(h) !== 0;
    if (isLoopbackName(listen)) return h === listen || h === 'localhost' || (listen === 'localhost' && isLoopbackName(h));
    return h === listen;
  };
  const parse = (hostPort: string): { hostname: string; port: number } | null => {
    try {
      const u = new URL(`http://${hostPort}`);
      // Anything beyond host[:port] (userinfo, a path) is not a Host header a browser sends.
      if (u.username || u.password || u.pathname !== '/' || u.search || u.hash || u.host !== hostPort.toLowerCase()) return null;
      return { hostname: u.hostname, port: u.port === '' ? 80 : Number(u.port) };
    } catch {
      return null;
    }
  };
  const show = net.isIPv6(listen) ? `[${listen}]` : listen;
  return {
    hostAllowed(host) {
      if (typeof host !== 'string') return false;
      const p = parse(host);
      return !!p && p.port === port && nameAllowed(p.hostname);
    },
    originAllowed(origin) {
      if (origin === undefined) return true;
      let u: URL;
      try {
        u = new URL(origin);
      } catch {
        return false;
      }
      if (u.protocol !== 'http:' || u.origin !== origin.toLowerCase()) return false;
      return (u.port === '' ? 80 : Number(u.port)) === port && nameAllowed(u.hostname);
    },
    origins: isWildcard(listen) ? [`http://127.0.0.1:${port}`, `http://localhost:${port}`] : [`http://${show}:${port}`, ...(show === 'localhost' ? [] : [`http://localhost:${port}`])],
  };
}

// ---- content types --------------------------------------------------------------------------

const mediaType = (ct: string | undefined): string => (ct ?? '').split(';')[0]!.trim().toLowerCase();

export const isJsonType = (ct: string | undefined): boolean => mediaType(ct) === 'application/json';

/** The types a cross-site page may POST without a CORS preflight: never a body we act on. */
export const isFormType = (ct: string | undefined): boolean =>
  ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data'].includes(mediaType(ct));

// ---- the Fastify wiring ------------------------------------------------------------------------

export interface LoopbackGuard {
  /** Fastify's `rewriteUrl`: the canonical URL; a malformed one is marked and refused on request. */
  rewriteUrl: (raw: IncomingMessage) => string;
  /**
   * The checks, in an onRequest hook: they run before a body is read, so a page on another
   * origin, a rebound DNS name, a form-encoded body or a caller without a session costs the
   * agent nothing. `policy` is null until the agent listens; `authenticate` throws a 401.
   */
  install(app: FastifyInstance, opts: { policy: () => OriginPolicy | null; authenticate: (req: FastifyRequest) => void }): void;
}

export function loopbackGuard(): LoopbackGuard {
  const badPaths = new WeakSet<IncomingMessage>();
  return {
    rewriteUrl: (raw) => {
      const canonical = canonicalUrl(raw.url ?? '/');
      if (canonical !== null) return canonical;
      // rewriteUrl must not throw (it runs outside Fastify's error handling): refused below.
      badPaths.add(raw);
      return '/';
    },
    install(app, opts) {
      app.addHook('onRequest', async (req) => {
        const policy = opts.policy();
        if (!policy || !policy.hostAllowed(req.headers.host)) {
          throw new HttpError(403, 'forbidden_host', 'this agent answers only to its own loopback address');
        }
        if (!policy.originAllowed(req.headers.origin)) {
          throw new HttpError(403, 'forbidden_origin', `requests from other sites are refused; open the agent's own page (${policy.origins[0]}/)`);
        }
        if (badPaths.has(req.raw)) throw new HttpError(400, 'bad_path', 'malformed request path');
        if (req.method !== 'GET' && req.method !== 'HEAD' && isFormType(req.headers['content-type'])) {
          throw new HttpError(415, 'unsupported_media_type', 'send JSON as application/json (form and text/plain bodies are refused)');
        }
        const pathname = req.url.split('?')[0]!;
        // Sign-in, and resuming a device session by its cookie: no session yet, JSON only (so a
        // cross-site page must pass a CORS preflight, which the agent never grants).
        if ((pathname === '/api/session' || pathname === '/api/session/resume') && req.method === 'POST') {
          if (!isJsonType(req.headers['content-type'])) throw new HttpError(415, 'unsupported_media_type', 'sign in with a JSON body sent as application/json');
          return;
        }
        if (pathname.startsWith('/api/')) opts.authenticate(req);
      });
    },
  };
}
