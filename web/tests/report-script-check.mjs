// The report's chart script committed as src/report/report_charts.bundle.js (embedded in the
// binary, docs/report.md) is the build of web/src/report/ with the locked ECharts: builds it again
// into a temporary folder and fails, naming the fix, when the bytes differ. Exits 77 (CTest:
// skipped) when web/node_modules is missing (`make web` installs it).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const web = join(dirname(fileURLToPath(import.meta.url)), '..');
const committed = join(web, '..', 'src', 'report', 'report_charts.bundle.js');
const vite = join(web, 'node_modules', 'vite', 'bin', 'vite.js');
if (!existsSync(vite)) {
  console.log(`skipped: ${vite} is missing (make web installs it)`);
  process.exit(77);
}
const out = mkdtempSync(join(tmpdir(), 'gridaudit-report-script-'));
try {
  execFileSync(process.execPath, [vite, 'build', '--config', 'vite.report.config.ts', '--logLevel', 'warn'], {
    cwd: web,
    env: { ...process.env, REPORT_SCRIPT_OUT_DIR: out },
    stdio: 'inherit',
  });
  const built = readFileSync(join(out, 'report_charts.bundle.js'));
  const kept = readFileSync(committed);
  if (!built.equals(kept)) {
    console.error(
      `${committed} (${kept.length} bytes) is not the build of web/src/report/ (${built.length} bytes): ` +
        'run `make report-script` and commit it',
    );
    process.exit(1);
  }
  console.log(`report_charts.bundle.js is current (${built.length} bytes)`);
} finally {
  rmSync(out, { recursive: true, force: true });
}
