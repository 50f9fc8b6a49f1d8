import { defineConfig } from 'vite';
import path from 'node:path';

// The renderer is a plain Vite app rooted in renderer/; hub and agent serve its build (dist/).
export default defineConfig({
  root: path.resolve(import.meta.dirname, 'renderer'),
  base: './',
  publicDir: false,
  build: {
    outDir: path.resolve(import.meta.dirname, 'dist'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    chunkSizeWarningLimit: 4096,
  },
  server: { port: 5173 },
});
