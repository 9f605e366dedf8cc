/**
 * The CLI as its own process, as a shell runs it: exit codes, what reaches a
 * pipe. Everything else about the commands is tested in-process (cli.test.ts).
 */
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { exampleRegistryCopy, runCli } from './helpers';

let registry: { dir: string; cleanup: () => void };
let env: NodeJS.ProcessEnv;
beforeAll(() => {
  registry = exampleRegistryCopy();
  env = { TENANTS_DIR: registry.dir };
});
afterAll(() => registry.cleanup());

describe('tenants as a process', () => {
  it('exits 0 on success, 2 on a usage error and 1 on a failure', () => {
    expect(runCli(['list'], env).status).toBe(0);
    expect(runCli(['show', 'nope'], env).status).toBe(2);
    const broken = exampleRegistryCopy();
    try {
      writeFileSync(path.join(broken.dir, 'Bad-Name.ts'), 'export default {};\n');
      const result = runCli(['list'], { TENANTS_DIR: broken.dir });
      expect([result.status, result.stderr]).toEqual([1, expect.stringContaining('Bad-Name.ts is not a tenant file name')]);
    } finally {
      broken.cleanup();
    }
  });

  it('prints no colour codes when not on a terminal, also on a CI runner', () => {
    // NO_COLOR and FORCE_COLOR unset (undefined drops them from the child's environment), CI set as runners set it.
    const piped = { ...env, NO_COLOR: undefined, FORCE_COLOR: undefined, CI: 'true' };
    const outputs = [runCli(['list'], piped), runCli(['show', 'nope'], piped)];
    // eslint-disable-next-line no-control-regex
    for (const { stdout, stderr } of outputs) expect(`${stdout}${stderr}`).not.toMatch(/\u001b\[/);
  });
});
