import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The web client lives in src/web and is built to dist/web, which the API server serves.
export default defineConfig({
  root: 'src/web',
  plugins: [react()],
  build: { outDir: '../../dist/web', emptyOutDir: true, chunkSizeWarningLimit: 2000 },
  server: { port: 5173, proxy: { '/api': 'http://127.0.0.1:3000' } },
});
