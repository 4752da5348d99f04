import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

// Which Chromium the browser tests drive. Debian's /usr/bin/chromium when the machine has it
// (CI installs it with CJK fonts, so screenshots are legible); otherwise the headless Chromium
// that ships inside the npm package @sparticuz/chromium, so `npm ci && npm test` needs nothing
// beyond Node, PostgreSQL and Redis. E2E_CHROMIUM chooses: `auto` (default), `system`,
// `bundled`, or a path to a Chromium binary.

const SYSTEM_CHROMIUM = '/usr/bin/chromium';
const require = createRequire(import.meta.url);

export interface ChromiumChoice {
  source: 'system' | 'bundled' | 'path';
  executablePath: string;
  /** Flags the binary needs beyond the ones every test run passes. */
  args: string[];
  /** Environment for the browser process (fontconfig for the bundled one on a machine without fonts). */
  env?: Record<string, string>;
}

type Wanted = 'system' | 'bundled' | 'path';

function wanted(): { kind: Wanted; path?: string } {
  const value = (process.env.E2E_CHROMIUM ?? 'auto').trim();
  if (value === 'system' || value === 'bundled') return { kind: value };
  if (value === 'auto' || value === '') return { kind: fs.existsSync(SYSTEM_CHROMIUM) ? 'system' : 'bundled' };
  return { kind: 'path', path: value };
}

/** True when this run will use the npm package's Chromium (so the global setup unpacks it first). */
export function usesBundledChromium(): boolean {
  return wanted().kind === 'bundled';
}

/** The package's folder (its exports map hides package.json): its entry point is build/cjs/index.cjs. */
function bundledPackageDir(): string {
  return path.resolve(path.dirname(require.resolve('@sparticuz/chromium')), '..', '..');
}

function bundledVersion(): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(bundledPackageDir(), 'package.json'), 'utf8')) as { name: string; version: string };
  if (pkg.name !== '@sparticuz/chromium') throw new Error(`expected @sparticuz/chromium's package.json in ${bundledPackageDir()}`);
  return pkg.version;
}

/** Where the package's Chromium is unpacked: one folder per package version, so an upgrade never runs a stale binary. */
function bundledDir(): string {
  return path.join(os.tmpdir(), `ecorights-chromium-${bundledVersion()}`);
}

/**
 * Unpacks the package's Chromium (about 200 MB from a 64 MB brotli file, some seconds) unless it
 * is there already. The package inflates straight into $TMPDIR/chromium and treats an existing
 * file as done, so a second process starting meanwhile would launch a half-written binary. Here
 * a child unpacks into a private staging folder (its own TMPDIR) that is then renamed into place
 * in one step; whoever renames second throws its copy away.
 */
export function ensureBundledChromium(): string {
  const dir = bundledDir();
  const binary = path.join(dir, 'chromium');
  if (fs.existsSync(binary)) return binary;
  const staging = fs.mkdtempSync(`${dir}.staging-`);
  try {
    const script = "const { default: c } = await import('@sparticuz/chromium'); process.stdout.write(await c.executablePath());";
    const unpacked = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: bundledPackageDir(),
      env: { ...process.env, TMPDIR: staging },
      encoding: 'utf8',
    });
    if (path.resolve(unpacked) !== path.join(staging, 'chromium')) throw new Error(`@sparticuz/chromium unpacked to ${unpacked}, expected ${staging}`);
    writeFontConfig(staging, dir);
    try {
      fs.renameSync(staging, dir);
    } catch (e) {
      if (!fs.existsSync(binary)) throw e;
    }
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
  return binary;
}

/** The package's fonts.conf names /tmp/fonts; this one names the fonts unpacked beside the binary. */
function writeFontConfig(staging: string, finalDir: string): void {
  const xml = `<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n  <dir>${path.join(finalDir, 'fonts')}</dir>\n  <cachedir>${path.join(finalDir, 'fonts-cache')}</cachedir>\n</fontconfig>\n`;
  fs.writeFileSync(path.join(staging, 'fonts', 'ecorights-fonts.conf'), xml);
}

// The package's flags are for AWS Lambda. Kept: no sandbox/zygote (root in a container), the
// software GL stack, fewer processes. Dropped: --headless (playwright passes its own),
// --single-process (one crashed page would take every context with it), and the flags that
// switch off web security: the tests must meet the same-origin, mixed-content and CSP rules a
// user's browser applies.
const DROPPED_BUNDLED_FLAGS = ['--headless', '--single-process', '--disable-web-security', '--allow-running-insecure-content', '--disable-site-isolation-trials'];

async function bundledArgs(): Promise<string[]> {
  const { default: bundled } = await import('@sparticuz/chromium');
  return bundled.args.filter((flag) => !DROPPED_BUNDLED_FLAGS.some((d) => flag === d || flag.startsWith(`${d}=`)));
}

export async function chooseChromium(): Promise<ChromiumChoice> {
  const want = wanted();
  if (want.kind === 'system') {
    if (!fs.existsSync(SYSTEM_CHROMIUM)) throw new Error(`E2E_CHROMIUM=system but ${SYSTEM_CHROMIUM} does not exist (unset E2E_CHROMIUM to use the npm package's Chromium)`);
    return { source: 'system', executablePath: SYSTEM_CHROMIUM, args: [] };
  }
  if (want.kind === 'path') {
    if (!fs.existsSync(want.path!)) throw new Error(`E2E_CHROMIUM=${want.path}: no such file`);
    return { source: 'path', executablePath: want.path!, args: [] };
  }
  const executablePath = ensureBundledChromium();
  // A machine without fontconfig's own configuration would give the browser no fonts at all.
  const env = fs.existsSync('/etc/fonts/fonts.conf') ? undefined : { FONTCONFIG_FILE: path.join(path.dirname(executablePath), 'fonts', 'ecorights-fonts.conf') };
  return { source: 'bundled', executablePath, args: await bundledArgs(), env };
}

/** Our flags first; a bundled flag is added unless one of the same name (before any `=`) is already there. */
export function mergeFlags(ours: string[], theirs: string[]): string[] {
  const name = (flag: string) => flag.split('=')[0];
  const seen = new Set(ours.map(name));
  return [...ours, ...theirs.filter((flag) => !seen.has(name(flag)))];
}
