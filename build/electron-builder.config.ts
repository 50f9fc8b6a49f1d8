// electron-builder configuration: `npx electron-builder --config build/electron-builder.config.ts`.
// Signing and notarisation come from the environment only (docs/operations.md lists them), so
// no secret is ever in the repository, and an unsigned build is still possible for testing.
import type { AfterPackContext, Configuration } from 'electron-builder';
import { flipFuses } from '@electron/fuses';
import { chamberFuses, electronBinaryPath } from './fuses.ts';

const env = process.env;

async function afterPack(context: AfterPackContext): Promise<void> {
  const platform = context.electronPlatformName;
  const arch = ['ia32', 'x64', 'armv7l', 'arm64', 'universal'][context.arch] ?? 'x64';
  const info = context.packager.appInfo;
  // Only the Linux packager has executableName; elsewhere the product file name is used.
  const executableName = (context.packager as { executableName?: string }).executableName ?? info.productFilename;
  const binary = electronBinaryPath(context.appOutDir, platform, info.productFilename, executableName);
  await flipFuses(binary, chamberFuses(platform, arch));
}

const config: Configuration = {
  appId: 'org.chamber.desktop',
  productName: 'Chamber',
  directories: { output: 'release', buildResources: 'build' },
  // dist/: the renderer; dist-electron/: main.cjs and preload.cjs; the update key inside the
  // ASAR, where the integrity fuse covers it.
  files: ['dist/**', '!dist/**/*.map', 'dist-electron/**', 'build/update-public.pem', 'package.json'],
  asar: true,
  // A native module cannot be loaded from inside the ASAR: the SQLite drivers (the hub's and the
  // encrypted cache's) are unpacked whole, so their binding finds its .node file beside it.
  asarUnpack: ['**/*.node', 'node_modules/better-sqlite3/**', 'node_modules/better-sqlite3-multiple-ciphers/**'],
  // better-sqlite3(-multiple-ciphers) ship N-API prebuilds that Electron loads as they are.
  npmRebuild: false,
  afterPack,
  publish: [{ provider: 'generic', url: '${env.CHAMBER_UPDATE_URL}', channel: 'latest' }],
  linux: {
    target: ['AppImage', 'deb'],
    category: 'Office',
    maintainer: 'Chamber IT <it@chamber.invalid>',
  },
  deb: { depends: ['libsecret-1-0', 'gnome-keyring'] },
  win: {
    target: ['nsis'],
    // CSC_LINK / CSC_KEY_PASSWORD (or WIN_CSC_LINK) enable Authenticode signing.
    signtoolOptions: env.WIN_PUBLISHER_NAME ? { publisherName: [env.WIN_PUBLISHER_NAME] } : undefined,
  },
  nsis: { oneClick: false, perMachine: true, allowElevation: true, allowToChangeInstallationDirectory: false },
  mac: {
    target: ['dmg'],
    category: 'public.app-category.productivity',
    hardenedRuntime: true,
    // CSC_LINK / CSC_KEY_PASSWORD select the Developer ID certificate; with APPLE_TEAM_ID plus
    // APPLE_ID and APPLE_APP_SPECIFIC_PASSWORD (or APPLE_API_KEY*) the build is notarised.
    notarize: Boolean(env.APPLE_TEAM_ID),
  },
  dmg: { sign: false },
};

export default config;
