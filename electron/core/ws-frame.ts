// One WebSocket frame for many sockets. A server's frames are not masked (RFC 6455, 5.1), so the
// bytes of a binary message are the same on every connection: a change fanned out to fifty
// readers is framed once and written to each socket as it is, instead of ws framing it fifty
// times (a header buffer each, then a corked two-part write).

/** `payload` as one final, unmasked binary frame (opcode 2), ready for any server socket. */
export function binaryFrame(payload: Uint8Array): Buffer {
  const n = payload.length;
  const head = n < 126 ? 2 : n < 65536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(head + n);
  frame[0] = 0x82;
  if (n < 126) {
    frame[1] = n;
  } else if (n < 65536) {
    frame[1] = 126;
    frame.writeUInt16BE(n, 2);
  } else {
    frame[1] = 127;
    frame.writeBigUInt64BE(BigInt(n), 2);
  }
  frame.set(payload, head);
  return frame;
}
