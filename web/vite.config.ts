// Vite's build of the dashboard into dist/ (served by `gridaudit serve`), and the development
// server, which proxies /api/ to a `gridaudit serve` on GRIDAUDIT_API (default 127.0.0.1:8080).
import { defineConfig } from 'vite';

export default defineConfig({
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsDir: 'assets',
    sourcemap: false,
    chunkSizeWarningLimit: 1500,
    // ECharts (and zrender) in a chunk of their own, loaded by the first page with a chart, not by
    // the login page (main.ts loads the pages on first use).
    rollupOptions: {
      output: {
        manualChunks: (id) => (/node_modules\/(echarts|zrender)\//.test(id) ? 'echarts' : undefined),
      },
    },
  },
  server: {
    proxy: { '/api': `http://${process.env.GRIDAUDIT_API ?? '127.0.0.1:8080'}` },
  },
});
