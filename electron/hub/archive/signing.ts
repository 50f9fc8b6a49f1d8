// The hub's signing key as the archive uses it: the poll keys' Ed25519 key (procedures/poll-keys.ts)
// signs each package's manifest, and its fingerprint is what people compare and pass to `--key`.
import crypto from 'node:crypto';

export interface Signer {
  /** Ed25519 public key, SPKI DER base64. */
  publicKey: string;
  /** Ed25519 over the text's UTF-8 bytes, base64. */
  sign(text: string): string;
}

/** sha256 of the key's DER bytes, hex. */
export const keyFingerprint = (publicKeySpkiB64: string): string => crypto.createHash('sha256').update(Buffer.from(publicKeySpkiB64, 'base64')).digest('hex');
