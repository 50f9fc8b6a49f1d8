// How the desktop harness carries IPC and MessagePort traffic between the page (Chromium) and
// the Node process standing in for Electron's main: Playwright bindings one way, evaluate the
// other, both JSON. Bytes travel as base64, everything else as JSON, so a Yjs frame arrives as
// a Uint8Array and a control message as the object it was. Used on both sides.

export type Wire = { b: string } | { j: unknown };

/** Page → main. `doc` names the page's document: a reload starts a new one, and its old ports die. */
export type PageToMain =
  | { k: 'hello'; doc: string }
  | { k: 'send'; doc: string; channel: string; args: Wire[] }
  | { k: 'post'; doc: string; channel: string; message: Wire; ports: string[] }
  | { k: 'port'; doc: string; id: string; data: Wire };

/** Main → page. */
export type MainToPage =
  | { k: 'ipc'; channel: string; args: Wire[] }
  | { k: 'port'; id: string; data: Wire }
  | { k: 'close'; id: string };

function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

function fromBase64(b64: string): Uint8Array {
  const s = atob(b64);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

export function encode(data: unknown): Wire {
  if (data instanceof Uint8Array) return { b: toBase64(data) };
  if (data instanceof ArrayBuffer) return { b: toBase64(new Uint8Array(data)) };
  return { j: data };
}

export function decode(w: Wire): unknown {
  return 'b' in w ? fromBase64(w.b) : w.j;
}
