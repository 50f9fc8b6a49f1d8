// The packaging configuration as electron-builder reads it (build/electron-builder.config.ts):
// what goes into the app, what stays out, what is unpacked from the ASAR, and the fuses flipped
// in every packaged binary. Nothing here needs the Electron binary.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FuseV1Options } from '@electron/fuses';
import { chamberFuses, electronBinaryPath } from '../../../build/fuses.ts';
import config from '../../../build/electron-builder.config.ts';
import { ROOT } from '../../helpers/processes.ts';

/** electron-builder's `files` rule: patterns in order, a `!` pattern takes back what matched before. */
function packed(file: string): boolean {
  let included = false;
  for (const pattern of config.files as string[]) {
    if (pattern.startsWith('!')) {
      if (path.matchesGlob(file, pattern.slice(1))) included = false;
    } else if (path.matchesGlob(file, pattern)) {
      included = true;
    }
  }
  return included;
}

const unpacked = (file: string) => (config.asarUnpack as string[]).some((pattern) => path.matchesGlob(file, pattern));

describe('release build configuration', () => {
  it('names the app and packs the built renderer, the bundled shell, the update key and nothing else of the tree', () => {
    expect(config.appId).toBe('org.chamber.desktop');
    expect(config.productName).toBe('Chamber');
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { main: string };
    for (const file of ['dist/index.html', 'dist/assets/index-abc.js', 'dist/pdfjs/cmaps/UniGB-UCS2-H.bcmap', pkg.main, 'dist-electron/preload.cjs', 'build/update-public.pem', 'package.json']) {
      expect(packed(file), file).toBe(true);
    }
    for (const file of ['dist/assets/index-abc.js.map', 'electron/main/index.ts', 'electron/shell/secrets.ts', 'renderer/main.tsx', 'test/desktop/harness.ts', 'data/hub/hub.sqlite', 'build/private.pem', '.npmrc', 'scripts/release.ts']) {
      expect(packed(file), file).toBe(false);
    }
  });

  it('packs into an ASAR with the native SQLite drivers unpacked, and no native rebuild', () => {
    expect(config.asar).toBe(true);
    for (const driver of ['better-sqlite3', 'better-sqlite3-multiple-ciphers']) {
      for (const file of ['prebuilds/linux-x64.node', 'prebuilds/win32-x64.node', 'lib/index.js', 'package.json']) {
        expect(unpacked(`node_modules/${driver}/${file}`), `${driver}/${file}`).toBe(true);
      }
    }
    expect(unpacked('dist/index.html')).toBe(false);
    expect(unpacked('dist-electron/main.cjs')).toBe(false);
    expect(unpacked('build/update-public.pem')).toBe(false);
    expect(config.npmRebuild).toBe(false);
  });

  it('turns off every way to run other code in the signed binary', () => {
    for (const [platform, arch] of [['linux', 'x64'], ['win32', 'x64'], ['darwin', 'arm64'], ['darwin', 'x64']] as const) {
      const f = chamberFuses(platform, arch);
      expect(f[FuseV1Options.RunAsNode]).toBe(false);
      expect(f[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(false);
      expect(f[FuseV1Options.EnableNodeCliInspectArguments]).toBe(false);
      expect(f[FuseV1Options.OnlyLoadAppFromAsar]).toBe(true);
      expect(f[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(true);
      expect(f[FuseV1Options.EnableCookieEncryption]).toBe(true);
      expect(f[FuseV1Options.GrantFileProtocolExtraPrivileges]).toBe(false);
    }
    expect(chamberFuses('darwin', 'arm64').resetAdHocDarwinSignature).toBe(true);
    expect(chamberFuses('darwin', 'x64').resetAdHocDarwinSignature).toBe(false);
    expect(electronBinaryPath('/out', 'win32', 'Chamber', 'chamber')).toBe('/out/Chamber.exe');
    expect(electronBinaryPath('/out', 'linux', 'Chamber', 'chamber')).toBe('/out/chamber');
    expect(electronBinaryPath('/out', 'darwin', 'Chamber', 'chamber')).toBe('/out/Chamber.app');
    // The fuses are flipped after packing, before signing.
    expect(typeof config.afterPack).toBe('function');
  });

  it('targets every platform and publishes to the hub\'s update folder', () => {
    expect(config.linux?.target).toEqual(['AppImage', 'deb']);
    expect(config.deb?.depends).toEqual(expect.arrayContaining(['libsecret-1-0', 'gnome-keyring']));
    expect(config.win?.target).toEqual(['nsis']);
    expect(config.mac?.target).toEqual(['dmg']);
    expect(config.mac?.hardenedRuntime).toBe(true);
    expect(config.publish).toEqual([expect.objectContaining({ provider: 'generic', url: '${env.CHAMBER_UPDATE_URL}' })]);
  });
});
