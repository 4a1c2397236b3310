// The dashboard in a real browser: playwright-core drives Debian's /usr/bin/chromium (headless,
// never a downloaded browser) against `gridaudit serve` on a free port over a small generated
// utility (prepare-utility.mjs). It signs in as every role; as the supervisor and the inspector it
// checks that the inspector sees only their station's units, opens an abnormal area's series and
// a suspect, walks a case through the closed loop, and sees refusals with the server's reason
// (docs/dashboard.md lists the steps). Any console error or
// failed request the test did not provoke fails it. Screenshots of every page go to
// $GRIDAUDIT_BROWSER_DIR/screenshots; it prints the first page's time, the heat map's, and the
// bundle's gzip size. Exit 77 (CTest: skipped) only when chromium is absent.
//
// Environment: GRIDAUDIT_BINARY (the gridaudit executable), GRIDAUDIT_BROWSER_DIR (a build
// folder for the utility and the screenshots), GRIDAUDIT_WEB_DIST (default: web/dist).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { heatAdmin, prepareHeatStore, prepareUtility, users } from './prepare-utility.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const chromium = process.env.GRIDAUDIT_CHROMIUM ?? '/usr/bin/chromium';
const binary = process.env.GRIDAUDIT_BINARY;
const work = process.env.GRIDAUDIT_BROWSER_DIR ?? path.join(here, '..', '..', 'build', 'browser');
const dist = process.env.GRIDAUDIT_WEB_DIST ?? path.join(here, '..', 'dist');

if (!existsSync(chromium)) {
  console.log(`SKIPPED: no Chromium at ${chromium} (scripts/install-deps.sh installs Debian's chromium)`);
  process.exit(77);
}
function fail(message) {
  console.error(`FAILED: ${message}`);
  process.exit(1);
}
if (!binary || !existsSync(binary)) fail(`GRIDAUDIT_BINARY must name the gridaudit executable (${binary})`);
if (!existsSync(path.join(dist, 'index.html'))) fail(`${dist} has no index.html: build the dashboard (make web)`);
let playwright;
try {
  playwright = await import('playwright-core');
} catch {
  fail('playwright-core is not installed: cd web && npm ci (make web does it)');
}

// --- the bundle --------------------------------------------------------------------------------
let gzipBytes = 0;
let rawBytes = 0;
for (const name of readdirSync(path.join(dist, 'assets'))) {
  const bytes = readFileSync(path.join(dist, 'assets', name));
  rawBytes += bytes.length;
  gzipBytes += gzipSync(bytes, { level: 9 }).length;
}
console.log(`bundle: ${(rawBytes / 1024).toFixed(0)} KiB, gzip ${(gzipBytes / 1024).toFixed(0)} KiB (limit 1.5 MB)`);
if (gzipBytes > 1.5e6) fail(`the gzip bundle is ${gzipBytes} bytes, over 1.5 MB`);

// --- the server --------------------------------------------------------------------------------
mkdirSync(work, { recursive: true });
const db = await prepareUtility(binary, work);
// The server's policy sets one rule's parameter, which the rules page shows as the policy in force.
const policyFile = path.join(work, 'browser-policy.toml');
writeFileSync(policyFile, '[rules.BILL-RECOMPUTE-MISMATCH]\ntolerance = 0.02\n');
const servers = [];
async function startServer(store, extra = []) {
  const child = spawn(binary, ['serve', '--db', store, '--port', '0', '--web', dist, '--threads', '8', ...extra], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  servers.push(child);
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
      const match = /listening on (http:\/\/[0-9.]+:\d+)/.exec(output);
      if (match) resolve(match[1]);
    });
    child.on('exit', (code) => reject(new Error(`gridaudit serve exited (${code}): ${output}`)));
  });
}
const base = await startServer(db, ['--policy', policyFile]);
console.log(`server: ${base} over ${db}`);

const screenshots = path.join(work, 'screenshots');
mkdirSync(screenshots, { recursive: true });
const browser = await playwright.chromium.launch({
  executablePath: chromium,
  headless: true,
  args: process.getuid?.() === 0 ? ['--no-sandbox'] : [],
});

const problems = [];
let expectingRefusal = false; // while the test provokes a refusal, its 400/403/409 is wanted
let failures = 0;
const step = async (name, body) => {
  const started = Date.now();
  try {
    await body();
    console.log(`ok   ${name} (${Date.now() - started} ms)`);
  } catch (error) {
    ++failures;
    console.log(`FAIL ${name}: ${error.message.split('\n')[0]}`);
  }
};
const check = (condition, message) => {
  if (!condition) throw new Error(message);
};

async function session(viewport = { width: 1366, height: 768 }) {
  const context = await browser.newContext({ viewport, locale: 'en-US' });
  const page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const text = message.text();
    if (expectingRefusal && /status of 4(00|03|09)/.test(text)) return;
    problems.push(`console error on ${page.url()}: ${text}`);
  });
  page.on('pageerror', (error) => problems.push(`page error on ${page.url()}: ${error.message}`));
  page.on('requestfailed', (request) => {
    // A navigation away aborts the requests of the page left: not a failure of the server.
    if (request.failure()?.errorText === 'net::ERR_ABORTED') return;
    problems.push(`request failed: ${request.url()} ${request.failure()?.errorText}`);
  });
  page.on('response', (response) => {
    const status = response.status();
    if (status < 400) return;
    if (expectingRefusal && [400, 403, 409].includes(status)) return;
    problems.push(`HTTP ${status} for ${response.request().method()} ${response.url()}`);
  });
  return { context, page };
}

async function signIn(page, username) {
  await page.goto(`${base}/login`);
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', users[username].password);
  await page.click('form[data-testid=login] button[type=submit]');
  await page.waitForSelector('[data-testid=who]');
}

async function shot(page, name) {
  await page.screenshot({ path: path.join(screenshots, `${name}.png`), fullPage: true });
}

// --- the pages ---------------------------------------------------------------------------------
const supervisor = await session();
const inspector = await session();
let caseId = 0;

await step('first page: the login page, then the overview with its figures', async () => {
  const { page } = supervisor;
  const started = Date.now();
  await page.goto(`${base}/`);
  await page.waitForSelector('form[data-testid=login]');
  const loginMs = Date.now() - started;
  await shot(page, '01-login');
  await page.fill('input[name=username]', 'supervisor');
  await page.fill('input[name=password]', users.supervisor.password);
  const signedIn = Date.now();
  await page.click('form[data-testid=login] button[type=submit]');
  await page.waitForSelector('[data-testid=open-cases]');
  await page.waitForSelector('[data-testid=findings-by-area] canvas');
  await page.waitForSelector('[data-testid=worst-areas] tbody tr');
  await page.waitForSelector('[data-testid=sparkline-loss_rate] polyline');
  const overviewMs = Date.now() - signedIn;
  console.log(`first page: login form ${loginMs} ms from a cold start; overview with its figures ${overviewMs} ms after signing in`);
  // Printed, not asserted (no timing in tests: the machine's load decides it).
  if (loginMs > 1500) console.log(`note: over the issue's 1.5 s (load average ${os.loadavg()[0].toFixed(1)})`);
  check(Number((await page.textContent('[data-testid=open-cases]')).replace(/,/g, '')) > 0, 'no open cases on the overview');
  // The utility this month against last month and last year, with a sparkline of its months.
  for (const figure of ['supply_kwh', 'sales_kwh', 'loss_rate', 'average_price']) {
    const text = await page.textContent(`[data-testid=trend-${figure}]`);
    check(text.includes('vs last month') && text.includes('vs last year'), `${figure}: no comparison (${text})`);
    // 60 days of data: supply, sales and the loss of September and October (bills of October only).
    if (figure !== 'average_price') check(/vs last month [+-]?\d/.test(text), `${figure}: no change against last month (${text})`);
  }
  check(/^\d+\.\d\d%$/.test((await page.textContent('[data-testid=trend-value-loss_rate]')).trim()), 'the loss rate tile has no rate');
  check((await page.$$('[data-testid=monthly-trend] tbody tr')).length >= 2, 'the monthly trend has fewer than two months');
  await shot(page, '02-overview');
});

await step('findings: filters in the URL, server-side paging, evidence for people', async () => {
  const { page } = supervisor;
  await page.goto(`${base}/findings?area=METER`);
  await page.waitForSelector('[data-testid=findings-table] tbody tr');
  check((await page.inputValue('[data-testid=filter-area]')) === 'METER', 'the area filter is not read from the URL');
  const areas = await page.$$eval('[data-testid=findings-table] tbody tr td:nth-child(4)', (cells) => cells.map((c) => c.textContent));
  check(areas.length > 0 && areas.every((a) => a === 'METER'), `rows of other areas: ${areas.join(' ')}`);
  await page.click('[data-testid=findings-table] tbody tr:first-child');
  await page.waitForSelector('[data-testid=finding-detail] dl.evidence');
  check(page.url().includes('finding='), 'the chosen finding is not in the URL');
  check(!(await page.textContent('[data-testid=finding-detail]')).includes('{"'), 'the evidence is shown as raw JSON');
  await shot(page, '03-findings');
  await page.click('.pager button:last-child');
  await page.waitForURL(/page=2/);
  await page.waitForSelector('[data-testid=findings-table] tbody tr');
});

await step('a refusal shows the server\'s reason (400: an unknown org unit)', async () => {
  const { page } = supervisor;
  expectingRefusal = true;
  await page.goto(`${base}/findings?unit=U9999`);
  const text = await page.textContent('[data-testid=refusal]');
  check(/400 invalid_input: .*no such org unit \(U9999\)/.test(text), `refusal shown: ${text}`);
  expectingRefusal = false;
  await shot(page, '04-refusal');
});

await step('findings: dismissing without a reason is refused (400), with one it is done', async () => {
  const { page } = supervisor;
  await page.goto(`${base}/findings?area=SERV`);
  await page.waitForSelector('[data-testid=findings-table] tbody tr');
  await page.click('[data-testid=findings-table] tbody tr:first-child input[type=checkbox]');
  expectingRefusal = true;
  await page.click('[data-testid=bulk-dismiss]');
  const text = await (await page.waitForSelector('[data-testid=bulk-message] [data-testid=refusal]')).textContent();
  check(/^400 invalid_input: .*reason/.test(text), `refusal shown: ${text}`);
  expectingRefusal = false;
  await page.fill('[data-testid=dismiss-reason]', 'known meter swap, not a fault');
  await page.click('[data-testid=bulk-dismiss]');
  await page.waitForSelector('[data-testid=bulk-message]:has-text("Dismissed: 1")');
});

await step('line loss: the tree, the heat map, an abnormal area\'s series and its first suspect', async () => {
  const { page } = supervisor;
  const started = Date.now();
  await page.goto(`${base}/line-loss`);
  await page.waitForSelector('[data-testid=heatmap] canvas');
  await page.waitForSelector('[data-testid=network-tree] canvas');
  console.log(`line loss: tree and heat map drawn ${Date.now() - started} ms after navigating`);
  // The worst area of the overview, clicked as a user would.
  await page.goto(`${base}/`);
  await page.click('[data-testid=worst-areas] tbody tr:first-child a');
  await page.waitForSelector('[data-testid=area-series] canvas');
  check(/area=/.test(page.url()), 'the area is not in the URL');
  await page.waitForSelector('[data-testid=suspects] tbody tr');
  // The worst area has a finding on its loss (LOSS-AREA-HIGH).
  check((await page.textContent('[data-testid=area-findings]')).includes('LOSS-'), 'no loss finding on the worst area');
  // Its last day within the day: the 15-minute chart where its meters record intervals, else a note.
  await page.waitForSelector('[data-testid=area-intervals] canvas, [data-testid=no-intervals]');
  const within = (await page.$('[data-testid=area-intervals] canvas')) ? 'a 15-minute chart' : 'no intervals that day';
  console.log(`line loss: the worst area's last day within the day: ${within}`);
  await shot(page, '05-line-loss');
  // Open the area's first suspect.
  const suspect = await page.textContent('[data-testid=suspects] tbody tr:first-child a');
  await page.click('[data-testid=suspects] tbody tr:first-child a');
  await page.waitForSelector('[data-testid=customer-series] canvas');
  check(suspect.includes((await page.textContent('h1')).split(' (')[0]), `the suspect ${suspect} is not the customer opened`);
});

await step('the heat map of 1,000 areas x 365 days from a store of that size (its own server)', async () => {
  const heatDb = await prepareHeatStore(binary, work);
  const heatBase = await startServer(heatDb);
  const { context, page } = await session();
  await page.goto(`${heatBase}/login`);
  await page.fill('input[name=username]', heatAdmin.username);
  await page.fill('input[name=password]', heatAdmin.password);
  await page.click('form[data-testid=login] button[type=submit]');
  await page.waitForSelector('[data-testid=who]');
  // The first visit computes the server's daily loss of every area (its snapshot loaded at start),
  // the second finds it computed: both are printed, from navigating to the heat map drawn.
  const measure = async () => {
    let bytes = 0;
    const counting = (response) => {
      if (response.url().includes('/api/loss/daily')) response.body().then((b) => (bytes = b.length), () => {});
    };
    page.on('response', counting);
    const started = Date.now();
    await page.goto(`${heatBase}/line-loss`);
    await page.waitForSelector('[data-testid=heatmap][data-drawn]', { timeout: 120_000 });
    const ms = Date.now() - started;
    page.off('response', counting);
    return { ms, bytes };
  };
  const first = await measure();
  const second = await measure();
  const size = await page.evaluate(() => {
    const image = document.querySelector('[data-testid=heatmap] canvas');
    return image ? `${image.width}x${image.height}` : 'none';
  });
  check(size !== 'none', 'no heat map canvas');
  const rows = await page.evaluate(() => document.querySelectorAll('[data-testid=network-tree]').length);
  check(rows === 1, 'no network tree beside the heat map');
  console.log(
    `heat map: 1,000 areas x 365 days from a real store (${(second.bytes / 1e6).toFixed(2)} MB, float32 in base64) drawn ` +
      `${first.ms} ms after navigating on the server's first request, ${second.ms} ms on the next (target < 1 s; load average ${os.loadavg()[0].toFixed(1)})`,
  );
  await shot(page, '06-heatmap-1000x365');
  await context.close();
});

await step('cases: the board, a case assigned to the inspector', async () => {
  const { page } = supervisor;
  await page.goto(`${base}/cases?view=board`);
  await page.waitForSelector('[data-testid=case-board] .card');
  await shot(page, '07-case-board');
  await page.click('[data-testid=case-board] .column:first-child .card');
  await page.waitForSelector('[data-testid=case-page] [data-testid=case-state]');
  caseId = Number(/cases\/(\d+)/.exec(page.url())[1]);
  check((await page.textContent('[data-testid=case-state]')) === 'new', 'the first card is not a new case');
  await page.fill('[data-testid=case-assignee]', 'inspector');
  await page.fill('[data-testid=case-note]', 'please check on site');
  await page.click('[data-testid=assign]');
  await page.waitForFunction(() => document.querySelector('[data-testid=case-state]')?.textContent === 'assigned');
  await shot(page, '08-case-assigned');
});

await step('inspector: only their station\'s units', async () => {
  const { page } = inspector;
  await signIn(page, 'inspector');
  await page.goto(`${base}/findings?sort=unit_id`);
  await page.waitForSelector('[data-testid=findings-table] tbody tr');
  const first = await page.$$eval('[data-testid=findings-table] tbody tr td:nth-child(7)', (cells) => cells.map((c) => c.textContent));
  await page.goto(`${base}/findings?sort=-unit_id`);
  await page.waitForSelector('[data-testid=findings-table] tbody tr');
  const last = await page.$$eval('[data-testid=findings-table] tbody tr td:nth-child(7)', (cells) => cells.map((c) => c.textContent));
  const units = [...first, ...last];
  check(units.every((unit) => unit.startsWith(users.inspector.unit)), `units outside ${users.inspector.unit}: ${units.filter((u) => !u.startsWith(users.inspector.unit)).join(' ')}`);
  await shot(page, '09-inspector-findings');
});

await step('inspector: the case in the queue, moved to online check', async () => {
  const { page } = inspector;
  await page.goto(`${base}/cases`);
  await page.waitForSelector(`[data-testid=cases-table] a[href="/cases/${caseId}"]`);
  await shot(page, '10-inspector-queue');
  await page.click(`[data-testid=cases-table] a[href="/cases/${caseId}"]`);
  await page.waitForSelector('[data-testid=move-online_check]');
  check(!(await page.$('[data-testid=assign]')), 'an inspector is offered assignment');
  await page.click('[data-testid=move-online_check]');
  await page.waitForFunction(() => document.querySelector('[data-testid=case-state]')?.textContent === 'online check');
  const timeline = await page.textContent('[data-testid=case-timeline]');
  check(timeline.includes('inspector'), 'the timeline lacks the inspector\'s transition');
  await shot(page, '11-case-online-check');
});

await step('a stale version is refused with the server\'s reason (409)', async () => {
  // The supervisor's page still holds the version before the inspector's move.
  const { page } = supervisor;
  expectingRefusal = true;
  await page.fill('[data-testid=case-assignee]', 'inspector');
  await page.click('[data-testid=assign]');
  const text = await (await page.waitForSelector('[data-testid=case-message] [data-testid=refusal]')).textContent();
  check(/^409 conflict: .*version/.test(text), `refusal shown: ${text}`);
  expectingRefusal = false;
  await shot(page, '12-case-stale-refused');
});

await step('casework: concluded, back-billing computed, approved, paid, closed; the KPIs count it', async () => {
  const inspectorPage = inspector.page;
  await inspectorPage.goto(`${base}/cases/${caseId}`);
  await inspectorPage.selectOption('[data-testid=case-conclusion]', 'billing_error');
  await inspectorPage.fill('[data-testid=case-note]', 'the bill used the wrong reads');
  await inspectorPage.click('[data-testid=move-concluded]');
  await inspectorPage.waitForFunction(() => document.querySelector('[data-testid=case-state]')?.textContent === 'concluded');
  // The on-site record: what the bills should have been.
  const facts = inspectorPage.locator('[data-testid=facts] > div');
  await facts.nth(0).locator('input[name=fact]').fill('billed_total');
  await facts.nth(0).locator('input[name=value]').fill('100.00');
  await facts.nth(1).locator('input[name=fact]').fill('recomputed_total');
  await facts.nth(1).locator('input[name=value]').fill('1334.56');
  await inspectorPage.click('[data-testid=compute-back-billing]');
  await inspectorPage.waitForFunction(() => document.querySelector('[data-testid=case-state]')?.textContent === 'back-billing');
  const total = await inspectorPage.textContent('[data-testid=back-billing-total]');
  check(total.includes('1,234.56 CNY'), `back-billing total: ${total}`);
  check(!(await inspectorPage.$('[data-testid=approve-back-billing]')), 'an inspector is offered the approval');
  await shot(inspectorPage, '13-back-billing');

  const { page } = supervisor;
  await page.goto(`${base}/cases/${caseId}`);
  await page.click('[data-testid=approve-back-billing]');
  await page.waitForFunction(() => document.querySelector('[data-testid=case-state]')?.textContent === 'recovery');
  check((await page.textContent('[data-testid=casework]')).includes(`BB-`), 'no notice number after approval');
  const [popup] = await Promise.all([page.context().waitForEvent('page'), page.click('[data-testid=document-back-billing]')]);
  await popup.waitForLoadState();
  check((await popup.content()).includes('1,234.56'), 'the printable notice lacks the total');
  await popup.close();
  await page.fill('[data-testid=payment-amount]', '1234.56');
  await page.fill('[data-testid=payment-reference]', 'receipt 0042');
  await page.click('[data-testid=record-payment]');
  await page.waitForFunction(() => document.querySelector('[data-testid=case-state]')?.textContent === 'closed');
  await page.waitForSelector('[data-testid=payments] tbody tr');
  await shot(page, '14-case-closed');

  await page.goto(`${base}/kpis?period=${new Date().toISOString().slice(0, 7)}`);
  await page.waitForSelector('[data-testid=kpi-rules] tbody tr');
  const text = await page.textContent('main');
  check(text.includes('1,234.56 CNY'), 'the KPIs do not count the recovered money');
  await shot(page, '15-kpis');
});

await step('the fee center: an anomaly CSV imported as a case (a bad row refused with its line), the feedback CSV', async () => {
  const { page } = supervisor;
  await page.goto(`${base}/cases?view=all`);
  await page.waitForSelector('[data-testid=import-anomalies]');
  const header = 'subject_kind,subject_id,kind,description,amount,found_on\n';
  const today = new Date().toISOString().slice(0, 10);
  expectingRefusal = true;
  await page.setInputFiles('[data-testid=anomaly-file]', {
    name: 'anomalies.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(`${header}customer,C00000866,FEE-UNPAID,arrears,12.345,${today}\n`),
  });
  await page.click('[data-testid=import-anomalies]');
  const text = await (await page.waitForSelector('[data-testid=fee-center-message] [data-testid=refusal]')).textContent();
  check(/^400 invalid_input: [\s\S]*:2:[\s\S]*amount/.test(text), `refusal shown: ${text}`);
  expectingRefusal = false;
  await page.setInputFiles('[data-testid=anomaly-file]', {
    name: 'anomalies.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(`${header}customer,C00000866,FEE-UNPAID,three months in arrears,1234.50,${today}\n`),
  });
  await page.click('[data-testid=import-anomalies]');
  await page.waitForSelector('[data-testid=fee-center-message]:has-text("cases opened: 1")');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=download-feedback]')]);
  check(/^feedback-\d{4}-\d{2}\.csv$/.test(download.suggestedFilename()), `download named ${download.suggestedFilename()}`);
  await shot(page, '16-fee-center');
});

await step('rules: the catalogue with parameters and each rule\'s measured precision', async () => {
  const { page } = supervisor;
  await page.goto(`${base}/rules?area=BILL`);
  await page.waitForSelector('[data-testid=rules-table] tbody tr');
  const rows = await page.$$eval('[data-testid=rules-table] tbody tr', (trs) => trs.map((tr) => tr.textContent));
  check(rows.length > 3 && rows.every((row) => row.includes('BILL')), 'rules of other areas listed');
  // The case concluded and closed above confirms its rule.
  const confirmed = rows.find((row) => row.startsWith('BILL-ENERGY-VS-READS'));
  check(confirmed && confirmed.includes('100.0%'), `BILL-ENERGY-VS-READS: ${confirmed}`);
  // The policy in force: the server's --policy sets one parameter, the others are the defaults.
  const recompute = rows.find((row) => row.startsWith('BILL-RECOMPUTE-MISMATCH'));
  check(recompute && /tolerance = 0\.02 \w+ \(policy; default 0\.01\)/.test(recompute), `BILL-RECOMPUTE-MISMATCH: ${recompute}`);
  check(recompute.includes('lookback_months = 12') && !recompute.includes('lookback_months = 12 (policy'), `lookback: ${recompute}`);
  await shot(page, '17-rules');
});

await step('customer: master data, meters, usage with the area\'s loss, findings', async () => {
  const { page } = supervisor;
  await page.goto(`${base}/cases/${caseId}`);
  await page.click('[data-testid=case-page] dl.facts a[href^="/customers/"]');
  await page.waitForSelector('[data-testid=customer-series] canvas');
  check((await page.textContent('h1')).includes('C0'), 'no customer heading');
  await shot(page, '18-customer');
});

await step('中文: the labels switch, the CJK font renders', async () => {
  const { page } = supervisor;
  await page.goto(`${base}/`);
  await page.waitForSelector('[data-testid=open-cases]');
  await page.click('[data-testid=language]');
  await page.waitForSelector('text=在办工单');
  await page.waitForSelector('[data-testid=findings-by-area] canvas');
  await shot(page, '19-overview-zh');
  await page.goto(`${base}/line-loss`);
  await page.waitForSelector('[data-testid=heatmap] canvas');
  await shot(page, '20-line-loss-zh');
  await page.click('[data-testid=language]');
});

await step('every role signs in and sees what its role offers', async () => {
  for (const username of ['admin', 'analyst', 'clerk']) {
    const { context, page } = await session();
    await signIn(page, username);
    const who = await page.textContent('[data-testid=who]');
    check(who.includes(users[username].role), `${username} is shown as ${who}`);
    await page.goto(`${base}/findings`);
    await page.waitForSelector('[data-testid=findings-table] tbody tr');
    // Dismissing is the analyst's, administrator's and supervisor's; a clerk is not offered it.
    const dismiss = !!(await page.$('[data-testid=bulk-dismiss]'));
    check(dismiss === (username !== 'clerk'), `${username} offered dismissal: ${dismiss}`);
    await context.close();
  }
});

await step('readable on a 1920x1080 wall screen', async () => {
  const { context, page } = await session({ width: 1920, height: 1080 });
  await signIn(page, 'supervisor');
  await page.waitForSelector('[data-testid=findings-by-area] canvas');
  await shot(page, '21-overview-1920');
  await context.close();
});

await browser.close();
for (const child of servers) child.kill('SIGTERM');
for (const problem of problems) console.log(`FAIL ${problem}`);
console.log(`screenshots: ${screenshots}`);
if (failures || problems.length) fail(`${failures} step(s) failed, ${problems.length} console error(s) or failed request(s)`);
console.log('PASSED');
