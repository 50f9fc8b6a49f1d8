// The benchmark's anchor: the reference y-websocket server (@y/websocket-server 0.1.1) as its
// own process, with no authentication, permissions or persistence. Started by hub.bench.ts;
// prints the same "listening on" line as the hub so one helper starts both.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { setupWSConnection } from '@y/websocket-server/utils';

const server = http.createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end('{"ok":true,"service":"y-websocket reference"}');
});
const wss = new WebSocketServer({ noServer: true });
server.on('upgrade', (req, socket, head) => {
  const docName = new URL(req.url ?? '/', 'http://local').pathname.replace(/^\/sync\//, '');
  wss.handleUpgrade(req, socket, head, (ws) => setupWSConnection(ws, req, { docName }));
});
server.listen(0, '127.0.0.1', () => {
  console.log(`reference y-websocket server listening on http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
process.on('SIGTERM', () => process.exit(0));
