/**
 * Shell completion: the candidates (in-process), and the bash script in a
 * real bash. The zsh script asks the same `tenants __complete` and is not run
 * here: no zsh is assumed on the machine.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { PROJECT_ROOT, TENANTS_BIN, exampleRegistryCopy, runCliInProcess } from './helpers';

let registry: { dir: string; cleanup: () => void };
let env: NodeJS.ProcessEnv;
beforeAll(() => {
  registry = exampleRegistryCopy();
  env = { TENANTS_DIR: registry.dir };
});
afterAll(() => registry.cleanup());

const KEYS = ['bookstore_2025', 'building_shop', 'flower_shop', 'hardware_store', 'online_store_2025', 'tea_house'];
const COMMANDS = ['add', 'list', 'show', 'sql', 'server-sql', 'servers', 'migrate', 'move', 'backup', 'restore', 'maintenance', 'status', 'drift', 'prepare', 'retire-logins', 'mongo-provision', 'compose', 'manifests', 'offboard', 'import-tfvars', 'check-plan', 'review', 'validate', 'completion', 'help'];

describe('tenants __complete (what the completion scripts ask)', () => {
  test.each([
    ['', 'words', COMMANDS],
    ['sh', 'words', ['show']],
    ['--', 'words', ['--help', '--version']],
    ['show ', 'words', KEYS],
    ['show bu', 'words', ['building_shop']],
    ['sql ', 'words', KEYS],
    ['compose ', 'words', KEYS],
    ['offboard ', 'words', KEYS],
    ['offboard hardware_store --', 'words', ['--yes', '--cancel', '--dry-run', '--backups', '--backup', '--url', '--help']],
    ['status hardware_store ', 'words', ['bookstore_2025', 'building_shop', 'flower_shop', 'online_store_2025', 'tea_house']],
    ['migrate --concurrency 4 b', 'words', ['bookstore_2025', 'building_shop']],
    ['check-plan ', 'words', KEYS],
    ['drift building_shop ', 'words', ['bookstore_2025', 'flower_shop', 'hardware_store', 'online_store_2025', 'tea_house']],
    ['review --al', 'words', ['--allow']],
    ['check-plan building_shop ', 'files', []],
    ['check-plan building_shop plan.json ', 'words', []],
    ['import-tfvars ', 'files', []],
    ['compose building_shop --out ', 'files', []],
    ['add --po', 'words', ['--port']],
    ['add --plan ', 'words', []],
    ['completion ', 'words', ['bash', 'zsh']],
    ['help of', 'words', ['offboard']],
    ['frobnicate ', 'words', []],
  ])('`tenants %s` offers %s %j', async (line, kind, words) => {
    const result = await runCliInProcess(['__complete', ...line.split(' ')], env);
    expect(result).toEqual({ status: 0, stdout: [kind, ...words, ''].join('\n'), stderr: '' });
  });

  it('offers the keys of the files even when the registry does not load', async () => {
    writeFileSync(path.join(registry.dir, 'broken_shop.ts'), 'export default {,};\n');
    try {
      expect((await runCliInProcess(['__complete', 'show', 'br'], env)).stdout).toBe('words\nbroken_shop\n');
    } finally {
      rmSync(path.join(registry.dir, 'broken_shop.ts'));
    }
  });
});

describe('tenants completion', () => {
  /** What the bash script offers for a command line (the cursor at its end), in a real bash. */
  function bashOffers(script: string, line: string): string[] {
    const words = line.split(' ');
    const program = `source "$1"; COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _tenants_complete; printf '%s\\n' "\${COMPREPLY[@]}"`;
    const out = execFileSync('bash', ['-c', program, 'bash', script], { cwd: PROJECT_ROOT, encoding: 'utf8', env: { ...process.env, ...env } });
    return out.split('\n').filter(Boolean);
  }

  it('writes a bash script that completes commands, tenant keys and file names in bash', async () => {
    const result = await runCliInProcess(['completion', 'bash'], env);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(TENANTS_BIN);
    const script = path.join(mkdtempSync(path.join(registry.dir, 'completion-')), 'tenants.bash');
    writeFileSync(script, result.stdout);
    expect(bashOffers(script, 'tenants of')).toEqual(['offboard']);
    expect(bashOffers(script, 'tenants show b')).toEqual(['bookstore_2025', 'building_shop']);
    expect(bashOffers(script, 'tenants import-tfvars __tests__/fixtures/original/cust')).toEqual(['__tests__/fixtures/original/customers.tfvars']);
  });

  it('writes a zsh script that asks the same command with the words before the cursor', async () => {
    const { status, stdout } = await runCliInProcess(['completion', 'zsh'], env);
    expect(status).toBe(0);
    expect(stdout).toContain(`reply=("\${(@f)$(node '${TENANTS_BIN}' __complete "\${(@)words[2,CURRENT]}" 2>/dev/null)}")`);
    expect(stdout).toContain('compdef _tenants tenants');
  });

  it('refuses another shell, as a usage error', async () => {
    const result = await runCliInProcess(['completion', 'fish'], env);
    expect([result.status, result.stderr]).toEqual([2, 'error: shell "fish" is not supported; use one of bash, zsh\n(add --help for usage)\n']);
  });
});
