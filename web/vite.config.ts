// Builds the dashboard (web/src) into web/dist, served by the dashboard server. Relative base: the files work
// from any mount point. JSX is compiled by Vite's esbuild (no React plugin: the page has no fast-refresh needs).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: './',
  logLevel: 'warn',
  esbuild: { jsx: 'automatic' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 1024,
  },
});
