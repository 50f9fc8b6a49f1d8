// The frames the hub writes itself (ws-frame.ts) must be frames a real WebSocket client reads as
// the message they carry, at every length encoding (7-bit, 16-bit, 64-bit), in order with the
// frames ws sends on the same socket.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { binaryFrame } from '../../electron/core/ws-frame.ts';

const SIZES = [0, 1, 125, 126, 127, 65_535, 65_536, 200_000];
const payload = (n: number) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + n) & 0xff);

describe('a frame made once for many sockets', () => {
  let server: http.Server;
  let url: string;

  beforeAll(async () => {
    const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
    server = http.createServer();
    server.on('upgrade', (req, socket, head) => {
      wss.handleUpgrade(req, socket, head, (ws) => {
        // One frame by ws, then ours, then ws again: the order on the wire is the order sent.
        ws.send(Buffer.from('first'), { binary: true });
        for (const n of SIZES) req.socket.write(binaryFrame(payload(n)));
        ws.send(Buffer.from('last'), { binary: true });
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('reaches a ws client as the same bytes, at every length encoding', async () => {
    const client = new WebSocket(url);
    const got: Buffer[] = [];
    await new Promise<void>((resolve, reject) => {
      client.on('message', (data: Buffer, isBinary) => {
        expect(isBinary).toBe(true);
        got.push(data);
        if (got.length === SIZES.length + 2) resolve();
      });
      client.on('close', (code) => reject(new Error(`closed with ${code}`)));
      client.on('error', reject);
    });
    client.close();
    expect(got[0]!.toString()).toBe('first');
    expect(got.at(-1)!.toString()).toBe('last');
    SIZES.forEach((n, i) => expect(Buffer.compare(got[i + 1]!, Buffer.from(payload(n))), `${n} bytes`).toBe(0));
  });

  it('uses the shortest length field for each size', () => {
    expect([...binaryFrame(payload(125)).subarray(0, 2)]).toEqual([0x82, 125]);
    expect([...binaryFrame(payload(126)).subarray(0, 4)]).toEqual([0x82, 126, 0, 126]);
    expect([...binaryFrame(payload(65_536)).subarray(0, 10)]).toEqual([0x82, 127, 0, 0, 0, 0, 0, 1, 0, 0]);
    expect(binaryFrame(payload(65_536)).length).toBe(65_546);
  });
});
