// Frames and requests the hardening tests send on purpose: built with Yjs and y-protocols (the
// same encoders a client uses), or written by hand on a bare TCP socket where a WebSocket library
// would refuse to produce them.
import crypto from 'node:crypto';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import { connectRaw } from './hub-helpers.ts';

/** A y-protocols sync message: 0 = step 1, 1 = step 2, 2 = update. */
export function syncFrame(sub: number, payload: Uint8Array): Uint8Array {
  const enc = encoding.createEncoder();
  encoding.writeVarUint(enc, 0);
  encoding.writeVarUint(enc, sub);
  encoding.writeVarUint8Array(enc, payload);
  return encoding.toUint8Array(enc);
}

/**
 * The poison from the adversarial test: a chain of `depth` nested maps under the root map
 * `agenda` (2,000 deep: 24 KB), and the update deleting its top. Applied together, Yjs
 * overflows its stack.
 */
export function deepChainUpdates(depth = 2000): { deep: Uint8Array; deleteTop: Uint8Array } {
  const doc = new Y.Doc({ gc: false });
  doc.transact(() => {
    const top = new Y.Map<unknown>();
    doc.getMap('agenda').set('deep-chain', top);
    let cur = top;
    for (let i = 1; i < depth; i++) {
      const next = new Y.Map<unknown>();
      cur.set('x', next);
      cur = next;
    }
  });
  const deep = Y.encodeStateAsUpdate(doc);
  // The deletion is made on a small twin with the same client id: deleting the top in `doc`
  // itself would overflow the stack in this process.
  const twin = new Y.Doc({ gc: false });
  twin.clientID = doc.clientID;
  twin.getMap('agenda').set('deep-chain', new Y.Map());
  const sv = Y.encodeStateVector(twin);
  twin.getMap('agenda').delete('deep-chain');
  return { deep, deleteTop: Y.diffUpdate(Y.encodeStateAsUpdate(twin), sv) };
}

/** An awareness message claiming `clientId` with `state` at `clock` (y-protocols' own encoder). */
export function presenceFrame(clientId: number, state: Record<string, unknown> | null, clock = 1): Uint8Array {
  const doc = new Y.Doc();
  doc.clientID = clientId;
  const aw = new awarenessProtocol.Awareness(doc);
  aw.setLocalState(state);
  aw.meta.get(clientId)!.clock = clock;
  const enc = encoding.createEncoder();
  encoding.writeVarUint(enc, 1);
  encoding.writeVarUint8Array(enc, awarenessProtocol.encodeAwarenessUpdate(aw, [clientId]));
  aw.destroy();
  doc.destroy();
  return encoding.toUint8Array(enc);
}

/**
 * Sends `requestLine` (e.g. `GET /sync/%ff HTTP/1.1`) with WebSocket upgrade headers (minus any
 * in `omit`) on a bare socket; resolves with the status code of the answer (null: none).
 */
export async function rawUpgrade(baseUrl: string, requestLine: string, opts: { omit?: string[]; extra?: string[] } = {}): Promise<{ status: number | null; text: string }> {
  const u = new URL(baseUrl);
  const sock = await connectRaw(baseUrl);
  const headers: Array<[string, string]> = [
    ['Host', u.host], ['Upgrade', 'websocket'], ['Connection', 'Upgrade'],
    ['Sec-WebSocket-Key', crypto.randomBytes(16).toString('base64')], ['Sec-WebSocket-Version', '13'],
  ];
  const lines = headers.filter(([k]) => !opts.omit?.includes(k)).map(([k, v]) => `${k}: ${v}`).concat(opts.extra ?? []);
  sock.write(`${requestLine}\r\n${lines.join('\r\n')}\r\n\r\n`);
  let text = '';
  return await new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      sock.destroy();
      const m = /^HTTP\/1\.1 (\d{3})/.exec(text);
      resolve({ status: m ? Number(m[1]) : null, text });
    };
    const timer = setTimeout(done, 10_000);
    sock.on('data', (d: Buffer) => {
      text += d.toString('latin1');
      // Enough once the head and (for a refusal) its announced body are in.
      const end = text.indexOf('\r\n\r\n');
      if (end < 0) return;
      const len = /content-length: (\d+)/i.exec(text.slice(0, end));
      if (text.startsWith('HTTP/1.1 101') || !len || text.length >= end + 4 + Number(len[1])) done();
    });
    sock.on('close', done);
  });
}
