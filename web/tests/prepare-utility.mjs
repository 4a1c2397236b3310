// The browser test's utility, made with the gridaudit command line as an operator would: a
// generated county (5,000 customers x 60 days: two stations), imported, audited, 40 cases opened
// by the policy, and one user per role the test signs in as. Made once per build folder (named
// for what it holds, so a change here makes a new one); each run works on a fresh copy. Beside it,
// the store of the heat map's speed: 1,000 transformer areas x 365 days (the interval theft
// scenario's network with 5 customers per area, its daily registers only) and an administrator.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';

const name = 'utility-5000x60-cases40-v2.db';

export const users = {
  admin: { role: 'administrator', unit: '', password: 'browser-admin-pw-1' },
  supervisor: { role: 'supervisor', unit: 'U0101', password: 'browser-supervisor-pw-1' },
  inspector: { role: 'inspector', unit: 'U0101001', password: 'browser-inspector-pw-1' },
  clerk: { role: 'clerk', unit: 'U0101', password: 'browser-clerk-pw-1' },
  analyst: { role: 'analyst', unit: 'U0101', password: 'browser-analyst-pw-1' },
};

function run(binary, args, input) {
  return execFileSync(binary, args, { input, stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'inherit'] });
}

export async function prepareUtility(binary, work) {
  const ready = path.join(work, name);
  if (!existsSync(ready)) {
    const building = path.join(work, 'building');
    rmSync(building, { recursive: true, force: true });
    const started = Date.now();
    const db = path.join(building, 'utility.db');
    run(binary, ['generate', '--out', path.join(building, 'export'), '--customers', '5000', '--days', '60', '--seed', '11']);
    run(binary, ['import', '--db', db, path.join(building, 'export')]);
    run(binary, ['audit', '--db', db]);
    run(binary, ['cases', '--db', db, 'open', '--limit', '40']);
    for (const [username, user] of Object.entries(users)) {
      const unit = user.unit ? ['--unit', user.unit] : [];
      run(binary, ['user', 'add', '--db', db, '--name', username, '--role', user.role, ...unit], `${user.password}\n`);
    }
    renameSync(db, ready);
    rmSync(building, { recursive: true, force: true });
    console.log(`utility: made ${ready} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  const copy = path.join(work, 'run.db');
  rmSync(copy, { force: true });
  rmSync(`${copy}-wal`, { force: true });
  rmSync(`${copy}-shm`, { force: true });
  copyFileSync(ready, copy);
  return copy;
}

const heatName = 'areas-1000x365-v1.db';
export const heatAdmin = { username: 'admin', password: 'browser-heat-admin-pw-1' };

export async function prepareHeatStore(binary, work) {
  const ready = path.join(work, heatName);
  if (!existsSync(ready)) {
    const building = path.join(work, 'building-heat');
    rmSync(building, { recursive: true, force: true });
    const started = Date.now();
    const db = path.join(building, 'heat.db');
    const exported = path.join(building, 'export');
    run(binary, ['generate', '--theft-scenario', '--areas', '1000', '--customers', '5', '--days', '365', '--interval-share', '0', '--seed', '7', '--out', exported]);
    // The heat map reads daily registers; the gateways' half-hours (1.5 GB of CSV) are not imported.
    rmSync(path.join(exported, 'ami_interval.csv'), { force: true });
    run(binary, ['import', '--db', db, exported]);
    run(binary, ['user', 'add', '--db', db, '--name', heatAdmin.username, '--role', 'administrator'], `${heatAdmin.password}\n`);
    renameSync(db, ready);
    rmSync(building, { recursive: true, force: true });
    console.log(`heat map store: made ${ready} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  const copy = path.join(work, 'heat-run.db');
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${copy}${suffix}`, { force: true });
  copyFileSync(ready, copy);
  return copy;
}
