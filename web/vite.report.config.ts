// The monthly report's chart script (web/src/report/): one IIFE file with ECharts' bar, line and
// treemap charts, written to src/report/report_charts.bundle.js, which the C++ build embeds in
// `gridaudit` so that `gridaudit report --out FILE.html` writes a page that draws offline
// (docs/report.md). `npm run build:report` regenerates it; REPORT_SCRIPT_OUT_DIR builds it elsewhere
// (the check that the committed file is current, web/tests/report-script-check.mjs).
import { defineConfig } from 'vite';

export default defineConfig({
  publicDir: false,
  // A library build leaves process.env.NODE_ENV to its user; the page has no `process`.
  define: { 'process.env.NODE_ENV': JSON.stringify('production') },
  build: {
    outDir: process.env.REPORT_SCRIPT_OUT_DIR ?? '../src/report',
    emptyOutDir: false,
    sourcemap: false,
    copyPublicDir: false,
    reportCompressedSize: false,
    chunkSizeWarningLimit: 1500,
    lib: {
      entry: 'src/report/report-charts.ts',
      formats: ['iife'],
      name: 'GridAuditReportCharts',
      fileName: () => 'report_charts.bundle.js',
    },
  },
});
