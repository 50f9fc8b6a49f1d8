// Bundles the Electron side: `vite build -c build/vite.electron.config.ts --mode main` writes
// dist-electron/main.cjs, `--mode preload` writes dist-electron/preload.cjs.
// The preload runs sandboxed, where require() knows only 'electron': everything is inlined.
// The main process keeps npm packages external (electron-builder ships them in the ASAR).
import { builtinModules } from 'node:module';
import path from 'node:path';
import { defineConfig } from 'vite';

const root = path.resolve(import.meta.dirname, '..');

export default defineConfig(({ mode }) => {
  const preload = mode === 'preload';
  const node = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
  return {
    root,
    publicDir: false,
    build: {
      outDir: path.join(root, 'dist-electron'),
      emptyOutDir: false,
      target: 'node22',
      sourcemap: false,
      minify: false,
      ssr: !preload,
      lib: {
        entry: path.join(root, preload ? 'electron/preload/index.ts' : 'electron/main/index.ts'),
        formats: ['cjs'],
        fileName: () => (preload ? 'preload.cjs' : 'main.cjs'),
      },
      rollupOptions: {
        output: { entryFileNames: preload ? 'preload.cjs' : 'main.cjs', format: 'cjs' },
        external: preload ? ['electron'] : (id: string) => id === 'electron' || node.includes(id) || (!id.startsWith('.') && !path.isAbsolute(id)),
      },
    },
  };
});
