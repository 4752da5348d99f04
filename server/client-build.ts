import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const clientDir = path.join(root, 'client');
const builtIndex = path.join(clientDir, 'dist', 'index.html');

function newestSourceTime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'dist' || entry.name === 'node_modules') continue;
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSourceTime(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

/** True when client/dist is missing or older than any client source file. */
export function clientBuildIsStale(): boolean {
  if (!fs.existsSync(builtIndex)) return true;
  return newestSourceTime(clientDir) > fs.statSync(builtIndex).mtimeMs;
}

/** Builds the UI with the project's own vite.config.ts. */
export async function buildClient(): Promise<void> {
  const { build } = await import('vite');
  await build({ configFile: path.join(root, 'vite.config.ts'), logLevel: 'warn' });
}
