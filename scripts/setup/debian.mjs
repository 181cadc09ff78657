/**
 * Installs missing Debian packages with apt (as root). The package lists are refreshed once, and
 * only if an install fails without them. Without root, it prints the command to run instead.
 */
import { spawnSync } from 'node:child_process';

const installed = (pkg) =>
  spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' }).stdout?.includes('install ok installed');

export function ensureDebianPackages(packages, log = console.log) {
  const missing = packages.filter((p) => !installed(p));
  if (missing.length === 0) return;
  const cmd = ['install', '-y', '-q', '--no-install-recommends', ...missing];
  if (process.getuid?.() !== 0) {
    console.error(`[setup] missing Debian packages: ${missing.join(' ')}\n        run: sudo apt-get ${cmd.join(' ')}`);
    process.exit(1);
  }
  log(`installing Debian packages: ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const apt = (args) => spawnSync('apt-get', args, { stdio: 'inherit', env }).status === 0;
  if (apt(cmd)) return;
  if (apt(['update', '-q']) && apt(cmd)) return;
  console.error(`[setup] apt-get ${cmd.join(' ')} failed`);
  process.exit(1);
}
