// Installs the pinned Azurite with `npm ci`, unless node_modules already holds this lockfile's
// install: npm ci deletes and refetches everything, which costs ~20 s on every build.
'use strict';
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');

const dir = __dirname;
const lock = path.join(dir, 'package-lock.json');
const marker = path.join(dir, 'node_modules', '.replisim-installed-lock.json');
const bin = path.join(dir, 'node_modules', '.bin', process.platform === 'win32' ? 'azurite-blob.cmd' : 'azurite-blob');

const wanted = fs.readFileSync(lock, 'utf8');
if (fs.existsSync(bin) && fs.existsSync(marker) && fs.readFileSync(marker, 'utf8') === wanted) {
  console.log('azurite: node_modules is up to date with package-lock.json');
  process.exit(0);
}
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const result = spawnSync(npm, ['ci', '--no-audit', '--no-fund'], { cwd: dir, stdio: 'inherit', shell: process.platform === 'win32' });
if (result.error) {
  console.error('azurite: cannot run npm: ' + result.error.message);
  process.exit(1);
}
if (result.status !== 0) {
  process.exit(result.status === null ? 1 : result.status);
}
fs.writeFileSync(marker, wanted);
