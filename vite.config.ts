import { defineConfig, type Plugin } from 'vite';
import fs from 'node:fs';
import path from 'node:path';

const pdfjsDir = path.resolve(import.meta.dirname, 'node_modules/pdfjs-dist');
// pdf.js loads these at run time by URL; shipping them in the build keeps the client offline.
const PDFJS_ASSETS = ['cmaps', 'standard_fonts', 'wasm', 'iccs'];

function pdfjsAssets(): Plugin {
  let outDir = '';
  return {
    name: 'chamber-pdfjs-assets',
    configResolved(config) {
      outDir = config.build.outDir;
    },
    // Dev server: serve them from node_modules under the same path as in the build.
    configureServer(server) {
      server.middlewares.use('/pdfjs', (req, res, next) => {
        const rel = decodeURIComponent((req.url ?? '').split('?')[0] ?? '');
        const file = path.join(pdfjsDir, path.normalize(rel));
        if (!file.startsWith(pdfjsDir + path.sep) || !PDFJS_ASSETS.includes(path.relative(pdfjsDir, file).split(path.sep)[0] ?? '') || !fs.existsSync(file)) return next();
        fs.createReadStream(file).pipe(res);
      });
    },
    writeBundle() {
      for (const dir of PDFJS_ASSETS) {
        const from = path.join(pdfjsDir, dir);
        if (fs.existsSync(from)) fs.cpSync(from, path.join(outDir, 'pdfjs', dir), { recursive: true });
      }
    },
  };
}

// The renderer is a plain Vite app rooted in renderer/; hub and agent serve its build (dist/).
export default defineConfig({
  root: path.resolve(import.meta.dirname, 'renderer'),
  base: './',
  publicDir: false,
  plugins: [pdfjsAssets()],
  build: {
    outDir: path.resolve(import.meta.dirname, 'dist'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    chunkSizeWarningLimit: 4096,
    rollupOptions: {
      // TanStack Query marks its hooks "use client" for server-component bundlers; this app has
      // no server components, so the directive means nothing here.
      onwarn(warning, warn) {
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE' && warning.message.includes('"use client"')) return;
        warn(warning);
      },
    },
  },
  server: { port: 5173 },
});
