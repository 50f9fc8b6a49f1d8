import { describe, expect, it } from 'vitest';
import { FuseV1Options } from '@electron/fuses';
import { chamberFuses, electronBinaryPath } from '../../../build/fuses.ts';
import config from '../../../build/electron-builder.config.ts';

describe('release build configuration', () => {
  it('turns off every way to run other code in the signed binary', () => {
    for (const [platform, arch] of [['linux', 'x64'], ['win32', 'x64'], ['darwin', 'arm64']] as const) {
      const f = chamberFuses(platform, arch);
      expect(f[FuseV1Options.RunAsNode]).toBe(false);
      expect(f[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(false);
      expect(f[FuseV1Options.EnableNodeCliInspectArguments]).toBe(false);
      expect(f[FuseV1Options.OnlyLoadAppFromAsar]).toBe(true);
      expect(f[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(true);
      expect(f[FuseV1Options.EnableCookieEncryption]).toBe(true);
    }
    expect(chamberFuses('darwin', 'arm64').resetAdHocDarwinSignature).toBe(true);
    expect(electronBinaryPath('/out', 'win32', 'Chamber', 'chamber')).toBe('/out/Chamber.exe');
    expect(electronBinaryPath('/out', 'linux', 'Chamber', 'chamber')).toBe('/out/chamber');
  });

  it('targets every platform, ships the update key in the ASAR, publishes to the hub', () => {
    expect(config.linux?.target).toEqual(['AppImage', 'deb']);
    expect(config.win?.target).toEqual(['nsis']);
    expect(config.mac?.target).toEqual(['dmg']);
    expect(config.asar).toBe(true);
    expect(config.files).toContain('build/update-public.pem');
    expect(config.publish).toEqual([expect.objectContaining({ provider: 'generic', url: '${env.CHAMBER_UPDATE_URL}' })]);
    expect(typeof config.afterPack).toBe('function');
  });
});
