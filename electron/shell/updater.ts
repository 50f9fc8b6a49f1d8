// Update check against the hub. electron-builder's `generic` publisher writes a small feed
// (latest.yml, latest-linux.yml, latest-mac.yml) next to the installers; the hub serves that
// folder. The feed itself is not trusted: it only says which file to fetch, and the file is
// kept only when its detached signature verifies (update-verify.ts). Installing is left to the
// caller, which runs only on a verified file.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { verifyFile } from './update-verify.ts';

export function feedFileFor(platform: NodeJS.Platform, arch: string): string {
  if (platform === 'win32') return 'latest.yml';
  if (platform === 'darwin') return 'latest-mac.yml';
  return arch === 'arm64' ? 'latest-linux-arm64.yml' : 'latest-linux.yml';
}

/** Reads the two top-level keys needed from electron-builder's feed (plain `key: value` YAML). */
export function parseFeed(text: string): { version: string; path: string } | null {
  const top = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const m = /^([A-Za-z]+):\s*(.*)$/.exec(line);
    if (m) top.set(m[1]!, m[2]!.trim().replace(/^['"]|['"]$/g, ''));
  }
  const version = top.get('version');
  const file = top.get('path');
  if (!version || !/^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/.test(version)) return null;
  // The file name becomes a path on disk and a URL segment: a bare name, nothing more.
  if (!file || file !== path.basename(file) || file.startsWith('.') || /[\\/\0]/.test(file)) return null;
  return { version, path: file };
}

export function isNewer(candidate: string, current: string): boolean {
  const parse = (v: string) => {
    const [core = '', pre] = v.split('-', 2);
    return { nums: core.split('.').map((n) => Number.parseInt(n, 10) || 0), pre };
  };
  const a = parse(candidate);
  const b = parse(current);
  for (let i = 0; i < 3; i++) {
    const d = (a.nums[i] ?? 0) - (b.nums[i] ?? 0);
    if (d !== 0) return d > 0;
  }
  // 1.2.3 is newer than 1.2.3-rc.1; two pre-releases compare as strings.
  if (a.pre === undefined) return b.pre !== undefined;
  if (b.pre === undefined) return false;
  return a.pre > b.pre;
}

export type UpdateResult =
  | { status: 'current'; version: string }
  | { status: 'ready'; version: string; file: string }
  | { status: 'refused'; reason: string };

export interface UpdateCheck {
  /** Folder URL the hub serves the feed from, e.g. https://hub.example/updates/ */
  feedUrl: string;
  platform: NodeJS.Platform;
  arch: string;
  currentVersion: string;
  publicKeyPem: string;
  downloadDir: string;
  fetch?: typeof fetch;
}

export async function fetchVerifiedUpdate(opts: UpdateCheck): Promise<UpdateResult> {
  const doFetch = opts.fetch ?? fetch;
  const base = opts.feedUrl.endsWith('/') ? opts.feedUrl : `${opts.feedUrl}/`;
  const feedRes = await doFetch(new URL(feedFileFor(opts.platform, opts.arch), base), { redirect: 'error' });
  if (!feedRes.ok) return { status: 'refused', reason: `the update feed answered ${feedRes.status}` };
  const feed = parseFeed(await feedRes.text());
  if (!feed) return { status: 'refused', reason: 'the update feed is malformed' };
  if (!isNewer(feed.version, opts.currentVersion)) return { status: 'current', version: opts.currentVersion };

  fs.mkdirSync(opts.downloadDir, { recursive: true });
  const target = path.join(opts.downloadDir, feed.path);
  const partial = `${target}.partial`;
  const fileRes = await doFetch(new URL(encodeURIComponent(feed.path), base), { redirect: 'error' });
  if (!fileRes.ok || !fileRes.body) return { status: 'refused', reason: `downloading ${feed.path} failed: ${fileRes.status}` };
  await pipeline(Readable.fromWeb(fileRes.body as import('node:stream/web').ReadableStream), fs.createWriteStream(partial, { mode: 0o600 }));
  fs.renameSync(partial, target);

  const sigRes = await doFetch(new URL(`${encodeURIComponent(feed.path)}.sig`, base), { redirect: 'error' });
  const sigText = sigRes.ok ? await sigRes.text() : null;
  const verdict = await verifyFile(target, sigText, opts.publicKeyPem);
  if (!verdict.ok) {
    fs.rmSync(target, { force: true });
    return { status: 'refused', reason: verdict.reason };
  }
  return { status: 'ready', version: feed.version, file: target };
}

export type InstallPlan =
  | { kind: 'replace-appimage'; from: string; to: string }
  | { kind: 'run-installer'; command: string; args: string[] }
  | { kind: 'manual'; reason: string };

/**
 * How a verified update is installed. The AppImage replaces itself (same file system, atomic
 * rename); NSIS runs silently and restarts the app; a .deb needs root and a .dmg a person, so
 * those are left to IT (docs/operations.md).
 */
export function installPlan(file: string, platform: NodeJS.Platform, env: NodeJS.ProcessEnv): InstallPlan {
  if (platform === 'linux' && file.endsWith('.AppImage') && env.APPIMAGE) {
    return { kind: 'replace-appimage', from: file, to: env.APPIMAGE };
  }
  if (platform === 'win32' && file.endsWith('.exe')) {
    return { kind: 'run-installer', command: file, args: ['/S', '--updated', '--force-run'] };
  }
  return { kind: 'manual', reason: `a ${path.extname(file) || 'package'} update is installed by IT on this platform` };
}

/** What installing touches; Node's own by default, stand-ins in tests. */
export interface InstallEffects {
  chmod(file: string, mode: number): void;
  rename(from: string, to: string): void;
  spawnDetached(command: string, args: string[]): void;
  /** Ends the app so a running installer can replace it. */
  quit(): void;
}

export function nodeInstallEffects(quit: () => void): InstallEffects {
  return {
    chmod: (file, mode) => fs.chmodSync(file, mode),
    rename: (from, to) => fs.renameSync(from, to),
    spawnDetached: (command, args) => spawn(command, args, { detached: true, stdio: 'ignore' }).unref(),
    quit,
  };
}

export function applyInstallPlan(plan: InstallPlan, effects: InstallEffects): void {
  if (plan.kind === 'replace-appimage') {
    effects.chmod(plan.from, 0o755);
    // Same folder tree and file system: the running AppImage is swapped atomically and the new
    // version runs at the next start.
    effects.rename(plan.from, plan.to);
  } else if (plan.kind === 'run-installer') {
    effects.spawnDetached(plan.command, plan.args);
    effects.quit();
  }
}

export interface UpdateOutcome {
  result: UpdateResult;
  /** How the verified update was installed; null when there was none to install. */
  plan: InstallPlan | null;
}

/** One update check: fetch and verify (fetchVerifiedUpdate), then install only what verified. */
export async function checkAndInstall(
  check: UpdateCheck,
  env: NodeJS.ProcessEnv,
  effects: InstallEffects,
  log: (msg: string, extra?: Record<string, unknown>) => void,
): Promise<UpdateOutcome> {
  const result = await fetchVerifiedUpdate(check);
  if (result.status !== 'ready') {
    if (result.status === 'refused') log('update refused', { reason: result.reason });
    return { result, plan: null };
  }
  const plan = installPlan(result.file, check.platform, env);
  log('verified update', { version: result.version, plan: plan.kind });
  applyInstallPlan(plan, effects);
  return { result, plan };
}
