/**
 * `npm run check:versions`: fails when an installed copy of a package is older than its security
 * floor (.ci/version-floors.ts). It reads what is installed, not what package.json asks for: a
 * caret range is a floor for new installs only, and a lockfile or a nested copy (engine.io
 * inside socket.io, ws inside engine.io) can keep an old version for years.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import semver from 'semver';

import { versionFloors, type VersionFloor } from './version-floors';

export interface InstalledCopy {
  name: string;
  version: string;
  /** Where it is installed, relative to the project root. */
  path: string;
}

function listDirectories(path: string): string[] {
  try {
    return readdirSync(path, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() || entry.isSymbolicLink())
      .map((entry) => entry.name);
  } catch {
    return [];
  }
}

/** Every installed copy of the named packages under `root/node_modules`, nested ones included. */
export function findInstalledCopies(root: string, names: ReadonlySet<string>): InstalledCopy[] {
  const copies: InstalledCopy[] = [];
  const visit = (nodeModules: string): void => {
    for (const entry of listDirectories(nodeModules)) {
      if (entry.startsWith('.')) continue;
      const packageDirs = entry.startsWith('@')
        ? listDirectories(join(nodeModules, entry)).map((name) => `${entry}/${name}`)
        : [entry];
      for (const name of packageDirs) {
        const dir = join(nodeModules, name);
        if (names.has(name)) {
          try {
            const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
              version?: unknown;
            };
            copies.push({
              name,
              version: typeof manifest.version === 'string' ? manifest.version : '',
              path: relative(root, dir),
            });
          } catch {
            // A directory without a manifest is not an installed package.
          }
        }
        visit(join(dir, 'node_modules'));
      }
    }
  };
  visit(join(root, 'node_modules'));
  return copies;
}

/**
 * What is wrong with the installed copies: one line per copy below its floor (or with a version
 * that is not semver), one per floor with no copy installed at all. Empty when all is well.
 * A prerelease of the floor counts as below it (16.4.6-canary.1 < 16.4.6).
 */
export function findFloorViolations(
  copies: readonly InstalledCopy[],
  floors: readonly VersionFloor[],
): string[] {
  const problems: string[] = [];
  for (const floor of floors) {
    const found = copies.filter((copy) => copy.name === floor.name);
    if (found.length === 0) {
      problems.push(`${floor.name}: not installed (floor ${floor.floor}; ${floor.reason})`);
      continue;
    }
    for (const copy of found) {
      const version = semver.valid(copy.version);
      if (version === null) {
        problems.push(`${copy.name} at ${copy.path}: version "${copy.version}" is not semver`);
      } else if (semver.lt(version, floor.floor)) {
        problems.push(
          `${copy.name} ${version} at ${copy.path} is below its floor ${floor.floor} (${floor.reason})`,
        );
      }
    }
  }
  return problems;
}

function main(): void {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const copies = findInstalledCopies(root, new Set(versionFloors.map((floor) => floor.name)));
  const problems = findFloorViolations(copies, versionFloors);
  if (problems.length > 0) {
    console.error('Installed packages below their security floor (.ci/version-floors.ts):');
    for (const problem of problems) console.error(`  ${problem}`);
    console.error('Update them (npm update <name>, or an "overrides" entry for a nested copy).');
    process.exit(1);
  }
  const summary = versionFloors
    .map((floor) => {
      const versions = copies.filter((copy) => copy.name === floor.name).map((c) => c.version);
      return `${floor.name} ${[...new Set(versions)].join(', ')} (>= ${floor.floor})`;
    })
    .join('; ');
  process.stdout.write(`Security floors met: ${summary}\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
