// The update feed for the desktop app: the files of one folder, read-only, at `/updates/<file>`,
// laid out as electron-builder's `generic` publisher writes them and electron/shell/updater.ts
// reads them: `latest*.yml`, the installers, and each installer's detached `<file>.sig`.
//
// No sign-in: the feed only names a file, and a device keeps a file only when its signature
// verifies against the key built into the app. What is guarded here is the folder itself: a
// request names one plain file directly inside it (no sub-folders, no dotfiles, no traversal, no
// symlinks out), and anything else is a 404. Files are picked up as they are copied in (no
// restart); @fastify/static (send) gives ETag, Last-Modified, conditional GET and Range.
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';
import fastifyStatic from '@fastify/static';

/** A bare file name: letters and digits first, then also space . _ + - (NSIS: "Chamber Setup 1.2.0.exe"). */
export const UPDATE_FILE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9 ._+-]{0,199}$/;

export function isUpdateFileName(name: string): boolean {
  return UPDATE_FILE_PATTERN.test(name) && !name.includes('..');
}

/** Content types by what the updater and installers are; everything else is opaque bytes. */
export function updateContentType(name: string): string {
  const lower = name.toLowerCase();
  if (lower.endsWith('.yml') || lower.endsWith('.yaml')) return 'text/yaml; charset=utf-8';
  // A detached Chamber signature is a small JSON document (electron/shell/update-verify.ts).
  if (lower.endsWith('.sig')) return 'application/json; charset=utf-8';
  if (lower.endsWith('.exe')) return 'application/vnd.microsoft.portable-executable';
  if (lower.endsWith('.deb')) return 'application/vnd.debian.binary-package';
  if (lower.endsWith('.dmg')) return 'application/x-apple-diskimage';
  if (lower.endsWith('.zip')) return 'application/zip';
  return 'application/octet-stream';
}

export async function registerUpdateFeed(app: FastifyInstance, updatesDir: string): Promise<void> {
  fs.mkdirSync(updatesDir, { recursive: true });
  const root = fs.realpathSync(updatesDir);
  // Encapsulated: its reply decorators (none) and routes do not touch the renderer's static plugin.
  await app.register(async (scope) => {
    await scope.register(fastifyStatic, {
      root,
      prefix: '/updates/',
      wildcard: true,
      decorateReply: false,
      index: false,
      list: false,
      dotfiles: 'deny',
      cacheControl: false,
      etag: true,
      lastModified: true,
      acceptRanges: true,
      // `pathname` is the decoded request path below /updates, e.g. "/Chamber Setup 1.2.0.exe".
      allowedPath: (pathname: string) => {
        const name = pathname.startsWith('/') ? pathname.slice(1) : pathname;
        if (!isUpdateFileName(name)) return false;
        // A symlink is served only if it stays inside the folder.
        try {
          const real = fs.realpathSync(path.join(root, name));
          return path.dirname(real) === root && fs.statSync(real).isFile();
        } catch {
          return false;
        }
      },
      setHeaders: (reply: FastifyReply, filePath: string) => {
        void reply.header('Content-Type', updateContentType(path.basename(filePath)));
        // Feeds change in place; installers are versioned by name but revalidating costs one 304.
        void reply.header('Cache-Control', 'no-cache');
      },
    });
  });
}
