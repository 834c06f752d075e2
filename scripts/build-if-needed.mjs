// Builds the web client when dist/web is missing or older than the sources, so `npm start` is one command.
import { execSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const index = 'dist/web/index.html';
function newest(dir) {
  let t = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : fs.statSync(p).mtimeMs);
  }
  return t;
}
const built = fs.existsSync(index) ? fs.statSync(index).mtimeMs : 0;
if (built < Math.max(newest('src/web'), newest('src/shared'))) {
  console.log('Building the web client…');
  execSync('npx vite build --logLevel warn', { stdio: 'inherit' });
}
