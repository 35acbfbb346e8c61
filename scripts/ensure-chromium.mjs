// Part of `npm test`: the HTML report's test opens the pages in Debian's chromium
// (/usr/bin/chromium, driven by playwright-core; a browser is never downloaded). On a fresh
// machine without it, install it when this user may (root with apt-get), as .ci/run does;
// otherwise say what to install and let that one test fail with the same words.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const BROWSER = '/usr/bin/chromium';
if (!existsSync(BROWSER) && !process.env.PEAKPLAN_NO_BROWSER_INSTALL) {
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  const apt = spawnSync('sh', ['-c', 'command -v apt-get'], { encoding: 'utf8' }).status === 0;
  if (root && apt) {
    process.stderr.write(`peakplan tests: ${BROWSER} is missing; installing Debian's chromium for the HTML report test (apt-get)…\n`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    const run = (args) => spawnSync('apt-get', args, { stdio: ['ignore', 'ignore', 'inherit'], env }).status === 0;
    if (!(run(['update']) && run(['install', '-y', 'chromium']))) process.stderr.write('peakplan tests: apt-get could not install chromium; the HTML report test will fail\n');
  } else {
    process.stderr.write(`peakplan tests: ${BROWSER} is missing and this user cannot install it; the HTML report test will fail (as root: apt-get install -y chromium)\n`);
  }
}
