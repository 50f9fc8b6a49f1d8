// A secret ballot's encryption (ECIES): a fresh ECDH P-256 key per ballot agrees a secret with the
// poll's key, HKDF-SHA256 turns it into an AES-256-GCM key, and the poll id is the associated data
// (a ballot moved to another poll does not open). The plaintext always has the same size
// (shared/procedures/ballot.ts), so every ciphertext is CT_BYTES long: ephemeral public key (65) ‖
// iv (12) ‖ tag (16) ‖ ciphertext. The same construction runs in WebCrypto (raw P-256 keys, HKDF,
// AES-GCM), so a device could encrypt its own ballot to the same key.
import crypto from 'node:crypto';
import { PLAIN_BYTES } from '../../../shared/procedures/ballot.ts';

const PUB_BYTES = 65;
const IV_BYTES = 12;
const TAG_BYTES = 16;
export const CT_BYTES = PUB_BYTES + IV_BYTES + TAG_BYTES + PLAIN_BYTES;
const INFO = Buffer.from('chamber secret ballot v1');

function aeadKey(shared: Buffer, ephemeralPub: Buffer): Buffer {
  return Buffer.from(crypto.hkdfSync('sha256', shared, ephemeralPub, INFO, 32));
}

export function encryptBallot(pollPublicKey: Buffer, pollId: string, plain: Uint8Array): Buffer {
  if (plain.length !== PLAIN_BYTES) throw new Error(`a ballot is ${PLAIN_BYTES} bytes before encryption`);
  const eph = crypto.createECDH('prime256v1');
  const ephPub = eph.generateKeys();
  const key = aeadKey(eph.computeSecret(pollPublicKey), ephPub);
  const iv = crypto.randomBytes(IV_BYTES);
  const c = crypto.createCipheriv('aes-256-gcm', key, iv);
  c.setAAD(Buffer.from(pollId));
  const body = Buffer.concat([c.update(plain), c.final()]);
  return Buffer.concat([ephPub, iv, c.getAuthTag(), body]);
}

/** The plaintext, or null when the ciphertext does not open (damaged, another poll's, wrong key). */
export function decryptBallot(pollPrivateKey: Buffer, pollId: string, ct: Uint8Array): Uint8Array | null {
  if (ct.length !== CT_BYTES) return null;
  const bytes = Buffer.from(ct);
  const ephPub = bytes.subarray(0, PUB_BYTES);
  try {
    const ecdh = crypto.createECDH('prime256v1');
    ecdh.setPrivateKey(pollPrivateKey);
    const key = aeadKey(ecdh.computeSecret(ephPub), ephPub);
    const d = crypto.createDecipheriv('aes-256-gcm', key, bytes.subarray(PUB_BYTES, PUB_BYTES + IV_BYTES));
    d.setAAD(Buffer.from(pollId));
    d.setAuthTag(bytes.subarray(PUB_BYTES + IV_BYTES, PUB_BYTES + IV_BYTES + TAG_BYTES));
    return Buffer.concat([d.update(bytes.subarray(PUB_BYTES + IV_BYTES + TAG_BYTES)), d.final()]);
  } catch {
    return null;
  }
}

export const trackerOf = (ct: Uint8Array): string => crypto.createHash('sha256').update(ct).digest('hex');
