import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

import { findFloorViolations, findInstalledCopies } from './check-versions';

const floors = [{ name: 'next', floor: '16.4.6', reason: 'test advisory' }];
const copy = (version: string) => ({ name: 'next', version, path: 'node_modules/next' });

describe('findFloorViolations', () => {
  it('passes the floor itself and anything newer', () => {
    expect(findFloorViolations([copy('16.4.6')], floors)).toEqual([]);
    expect(findFloorViolations([copy('16.4.10')], floors)).toEqual([]);
    expect(findFloorViolations([copy('17.0.0-canary.3')], floors)).toEqual([]);
  });

  it('fails an older release, comparing numerically rather than as text', () => {
    expect(findFloorViolations([copy('16.4.5')], floors)).toEqual([
      'next 16.4.5 at node_modules/next is below its floor 16.4.6 (test advisory)',
    ]);
    expect(findFloorViolations([copy('9.9.9')], floors)).toHaveLength(1);
  });

  it('counts a prerelease of the floor as below it', () => {
    expect(findFloorViolations([copy('16.4.6-canary.1')], floors)).toHaveLength(1);
    expect(findFloorViolations([copy('16.4.7-rc.0')], floors)).toEqual([]);
  });

  it('fails a copy whose version is not semver, and a package that is missing', () => {
    expect(findFloorViolations([copy('latest')], floors)[0]).toContain('is not semver');
    expect(findFloorViolations([], floors)[0]).toContain('next: not installed');
  });

  it('fails when any one of several copies is old', () => {
    const nested = { name: 'next', version: '16.0.0', path: 'node_modules/a/node_modules/next' };
    expect(findFloorViolations([copy('16.5.0'), nested], floors)).toEqual([
      'next 16.0.0 at node_modules/a/node_modules/next is below its floor 16.4.6 (test advisory)',
    ]);
  });
});

describe('findInstalledCopies', () => {
  let root = '';
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  function install(path: string, name: string, version: string): void {
    mkdirSync(join(root, path), { recursive: true });
    writeFileSync(join(root, path, 'package.json'), JSON.stringify({ name, version }));
  }

  it('finds top-level, nested and scoped copies', () => {
    root = mkdtempSync(join(tmpdir(), 'coplan-versions-'));
    install('node_modules/ws', 'ws', '8.23.0');
    install('node_modules/socket.io/node_modules/engine.io', 'engine.io', '6.6.12');
    install('node_modules/engine.io/node_modules/ws', 'ws', '6.2.7');
    install('node_modules/@scope/pkg/node_modules/ws', 'ws', '8.21.0');
    install('node_modules/unrelated', 'unrelated', '1.0.0');
    const copies = findInstalledCopies(root, new Set(['ws', 'engine.io']));
    expect(copies.map((c) => `${c.name}@${c.version} ${c.path}`).sort()).toEqual([
      'engine.io@6.6.12 node_modules/socket.io/node_modules/engine.io',
      'ws@6.2.7 node_modules/engine.io/node_modules/ws',
      'ws@8.21.0 node_modules/@scope/pkg/node_modules/ws',
      'ws@8.23.0 node_modules/ws',
    ]);
  });
});
