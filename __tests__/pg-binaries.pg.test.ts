/**
 * Under root the test servers run as an unprivileged user, who must read the
 * server binaries and the generated locale. A project cloned into a directory
 * only root may enter (`git clone . "$(mktemp -d)"`, mode 0700) hides them:
 * readableBy hands the server's user a readable copy then, and the directory
 * itself when it can read it. (Not as root, there is no other user and the
 * directory is used as it is.)
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { readableBy, serverOsUser } from '../testbed/pg-binaries';

describe("the test servers' files, for the user the servers run as", () => {
  const made: string[] = [];
  afterAll(() => {
    for (const dir of made) rmSync(dir, { recursive: true, force: true });
  });

  /** A directory holding `probe`, below a parent of the given mode. */
  function directoryBelow(mode: number): string {
    const parent = mkdtempSync(path.join(tmpdir(), 'readable-by-'));
    made.push(parent);
    chmodSync(parent, mode);
    const dir = path.join(parent, 'native');
    mkdirSync(path.join(dir, 'bin'), { recursive: true });
    writeFileSync(path.join(dir, 'bin', 'probe'), 'the server binary\n');
    return dir;
  }

  it('is the directory itself when the user can read it, and a readable copy of it when a 0700 parent hides it', () => {
    const user = serverOsUser();
    const open = directoryBelow(0o755);
    expect(readableBy(user, open, 'bin/probe')).toBe(open);

    const hidden = directoryBelow(0o700);
    const got = readableBy(user, hidden, 'bin/probe');
    made.push(got);
    /** A file as the server's user reads it (this process, when it is not root). */
    const readAs = (file: string) => (user ? spawnSync('runuser', ['-u', user, '--', 'cat', file], { encoding: 'utf8' }).stdout : readFileSync(file, 'utf8'));
    // Under root: the user cannot read the original, so it gets a copy it can read; otherwise the original serves.
    expect(readAs(path.join(hidden, 'bin', 'probe'))).toBe(user ? '' : 'the server binary\n');
    expect(got === hidden).toBe(user === undefined);
    expect(readAs(path.join(got, 'bin', 'probe'))).toBe('the server binary\n');
    // Asked again, the same copy.
    expect(readableBy(user, hidden, 'bin/probe')).toBe(got);
  });
});
