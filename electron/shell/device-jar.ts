// The desktop app's half of staying signed in on a device (issue 16; the agent's half is
// electron/agent/device-session.ts). The page reaches the embedded agent only through the app
// protocol's forwarder, which drops every cookie on purpose (app-protocol.ts). Rather than pass
// this one cookie through for Chromium to keep for the chamber:// origin, the shell keeps it here:
//   - the secret never leaves the main process: no answer to the page carries it, and nothing
//     depends on how Chromium treats cookies of a custom scheme (a page can still resume, as it
//     could with a cookie, but can never copy the secret elsewhere);
//   - it is kept with the cache key, encrypted by the OS's secret storage (secrets.ts), so it
//     survives the app being closed exactly when the cache itself does; without an OS keyring the
//     cache is rebuilt at each start anyway, and the secret is held in memory only;
//   - it is presented to the agent on the two routes that read it (resume, sign-out) and nowhere else.
import { chooseSecretStorage, SecretBox, type SafeStorageLike } from './secrets.ts';

export const DEVICE_SESSION_SECRET = 'device-session';

export interface DeviceJar {
  get(): string | null;
  /** A new secret from the agent, or null when it ended the session. */
  set(secret: string | null): void;
}

/** In memory only: lasts as long as the app runs. */
export function memoryJar(): DeviceJar {
  let secret: string | null = null;
  return { get: () => secret, set: (s) => void (secret = s) };
}

/** Beside the cache key when the OS keeps secrets (encrypted by safeStorage); else in memory. */
export function deviceJar(secretsFile: string, safeStorage: SafeStorageLike, platform: NodeJS.Platform): DeviceJar {
  if (chooseSecretStorage(safeStorage, platform).kind !== 'os') return memoryJar();
  const box = new SecretBox(secretsFile, safeStorage);
  return {
    get: () => box.get(DEVICE_SESSION_SECRET),
    set: (s) => (s === null ? box.delete(DEVICE_SESSION_SECRET) : box.set(DEVICE_SESSION_SECRET, s)),
  };
}
