// Electron fuses flipped in every packaged build (afterPack, before code signing, because
// flipping changes the binary). Each one closes a way to run code other than the signed app.
import path from 'node:path';
import { FuseV1Options, FuseVersion, type FuseConfig } from '@electron/fuses';

export function chamberFuses(platform: string, arch: string): FuseConfig {
  return {
    version: FuseVersion.V1,
    // Without these, ELECTRON_RUN_AS_NODE / NODE_OPTIONS / --inspect turn the signed binary into
    // a general-purpose Node that can read the cache key out of safeStorage.
    [FuseV1Options.RunAsNode]: false,
    [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
    [FuseV1Options.EnableNodeCliInspectArguments]: false,
    // The app is only ever the ASAR, and the ASAR is checked against the hash in the signed binary.
    [FuseV1Options.OnlyLoadAppFromAsar]: true,
    [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
    [FuseV1Options.EnableCookieEncryption]: true,
    [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
    // Flipping invalidates the ad-hoc signature Apple Silicon insists on; re-sign it.
    resetAdHocDarwinSignature: platform === 'darwin' && arch === 'arm64',
  };
}

/** The Electron executable inside an unpacked build, per platform. */
export function electronBinaryPath(appOutDir: string, platform: string, productFilename: string, executableName: string): string {
  if (platform === 'darwin' || platform === 'mas') return path.join(appOutDir, `${productFilename}.app`);
  if (platform === 'win32') return path.join(appOutDir, `${productFilename}.exe`);
  return path.join(appOutDir, executableName);
}
