/**
 * The CLI without a terminal, run in-process (cli/program.ts): flags in,
 * files, output and exit codes out. Each test works on its own copy of the
 * example registry. validate, offboard and check-plan are in
 * cli-guards.test.ts, completion in cli-completion.test.ts; cli-process.test.ts
 * runs the CLI as its own process and cli-interactive.test.ts in a terminal.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { wantsColour } from '../cli/output';
import { loadRegistry } from '../tenants/registry';
import type { PostgresTenant as Tenant } from '../tenants/registry/types';
import { PROJECT_ROOT, databaseStack, exampleRegistryCopy, resourcesOf, runCliInProcess } from './helpers';

let registry: ReturnType<typeof exampleRegistryCopy>;
let env: NodeJS.ProcessEnv;
beforeEach(() => {
  registry = exampleRegistryCopy();
  env = { TENANTS_DIR: registry.dir, TENANTS_BACKUPS: registry.backups };
});
afterEach(() => registry.cleanup());

const VALID = ['add', '--key', 'test_shop', '--company', 'Test Shop', '--database', 'test_shop', '--plan', 'free', '--admin', 'alice:alice@test.example', '--developer', 'bob:bob@test.example', '--target', 'docker', '--port', '4010', '--yes'];

function withFlag(flag: string, value: string): string[] {
  const args = [...VALID];
  args[args.indexOf(flag) + 1] = value;
  return args;
}

describe('tenants add with flags', () => {
  it('writes tenants/<key>.ts formatted like the hand-written examples and prints the next steps', async () => {
    const result = await runCliInProcess(VALID, env);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('bash scripts/cdktf.sh diff test_shop');
    expect(result.stdout).toContain('bash scripts/cdktf.sh deploy test_shop');
    const source = readFileSync(path.join(registry.dir, 'test_shop.ts'), 'utf8');
    expect(source.replace(/from '[^']+';/, "from './registry';")).toBe(
      [
        "import { defineTenant } from './registry';",
        '',
        'export default defineTenant({',
        "  key: 'test_shop',",
        "  company: 'Test Shop',",
        "  plan: 'free',",
        "  database: { name: 'test_shop' },",
        '  people: {',
        "    admins: [{ username: 'alice', email: 'alice@test.example' }],",
        "    developers: [{ username: 'bob', email: 'bob@test.example' }],",
        '  },',
        "  app: { target: 'docker', port: 4010 },",
        '});',
        '',
      ].join('\n'),
    );
  });

  it('writes a tenant that passes the registry check and appears in the synthesized output', async () => {
    expect((await runCliInProcess(VALID, env)).status).toBe(0);
    const added = loadRegistry(registry.dir).tenants.find((t) => t.key === 'test_shop') as Tenant;
    const json = databaseStack(added);
    expect(resourcesOf(json, 'postgresql_database').map((d) => d.name)).toEqual(['test_shop']);
    expect(resourcesOf(json, 'docker_container').map((c) => c.ports)).toEqual([[{ internal: 4000, external: 4010, ip: '127.0.0.1' }]]);
  });

  test.each([
    ['a database name with capitals', withFlag('--database', 'Test-Shop'), '--database (database.name) "Test-Shop" must match ^[a-z][a-z0-9_]*$'],
    ['SQL-looking input', withFlag('--database', 'x"; drop'), '--database (database.name) "x\\"; drop" must match ^[a-z][a-z0-9_]*$'],
    ['a reserved database name', withFlag('--database', 'postgres'), '--database (database.name) "postgres" is reserved by PostgreSQL'],
    ['a database name another tenant has', withFlag('--database', 'building_shop'), '--database (database.name) "building_shop" is already used by <registry>/building_shop.ts (database.name)'],
    ['an existing key', withFlag('--key', 'hardware_store'), '--key (key) "hardware_store" is already used by <registry>/hardware_store.ts (key)'],
    ['a port another tenant has', withFlag('--port', '5001'), '--port (app.port) 5001 is already used by <registry>/building_shop.ts (app.frontend.port)'],
    ['a port that is not a number', withFlag('--port', 'http'), '--port (app.port) "http" must be a whole number from 1024 to 65535'],
    ['an unknown plan', withFlag('--plan', 'gold'), '--plan (plan) "gold" is not a plan'],
    ['a malformed admin', withFlag('--admin', 'alice'), '--admin "alice" must be <username>:<email>'],
    ['an invalid email', withFlag('--admin', 'alice:not-an-email'), '--admin #1 (people.admins[0].email) "not-an-email" is not an email address'],
    ['a reserved username', withFlag('--admin', 'app:app@test.example'), '--admin #1 (people.admins[0].username) "app" is reserved'],
    ['a duplicate username', [...VALID, '--customer', 'bob:bob2@test.example'], '--customer #1 (people.customers[0].username) "bob" is already used by people.developers[0].username'],
    ['a SQL-looking username', withFlag('--admin', `x'; drop role x; --:x@test.example`), `--admin #1 (people.admins[0].username) "x'; drop role x; --" must match`],
    ['an unknown target', withFlag('--target', 'heroku'), '--target (app.target) "heroku" is not an app target; use one of docker, lambda, kubernetes'],
    ['a lambda without its region and artifact', withFlag('--target', 'lambda'), '--region (app.region) is missing'],
    ['no --yes without a terminal', VALID.filter((a) => a !== '--yes'), '--yes is required without a terminal'],
    ['a lambda flag for a docker tenant', [...VALID, '--region', 'eu-west-1'], '--region applies to --target lambda, not docker; remove it'],
    ['a lambda flag with no --target (so docker)', [...VALID.filter((a, i, all) => a !== '--target' && all[i - 1] !== '--target'), '--vpc-id', 'vpc-0123456789abcdef0'], '--vpc-id applies to --target lambda, not docker; remove it'],
  ])('refuses %s, listing it, and writes nothing', async (_case, args, expected) => {
    const before = readdirSync(registry.dir).sort();
    const result = await runCliInProcess(args, env);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('nothing was written');
    expect(result.stderr).toContain(expected.replace('<registry>', registry.dir));
    expect(readdirSync(registry.dir).sort()).toEqual(before);
  });

  it('reports every problem at once', async () => {
    const result = await runCliInProcess(['add', '--key', 'Bad', '--database', 'postgres', '--plan', 'gold', '--port', '80', '--yes'], env);
    expect(result.status).toBe(2);
    expect(result.stderr.split('\n').filter((l) => l.startsWith('  - '))).toEqual([
      '  - --key (key) "Bad" must match ^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$ (lowercase letters and digits in words joined by single underscores; start with a letter)',
      '  - --company (company) is missing; add company: "<company name>"',
      '  - --plan (plan) "gold" is not a plan; use one of free, starter, professional, enterprise',
      '  - --database (database.name) "postgres" is reserved by PostgreSQL (postgres, template0, template1); choose another database name',
      '  - --admin (people.admins) [] is empty; every tenant needs at least one admin',
      '  - --port (app.port) 80 must be a whole number from 1024 to 65535; choose a free host port',
    ]);
  });

  it('refuses, as a usage error, docker flags given with --target lambda, listing each', async () => {
    const args = ['add', '--key', 'cloud_shop', '--company', 'Cloud Shop', '--database', 'cloud_shop', '--plan', 'starter', '--admin', 'ann:ann@cloud.example', '--target', 'lambda', '--region', 'eu-central-1', '--image-uri', '123456789012.dkr.ecr.eu-central-1.amazonaws.com/api:1.0.0', '--port', '4010', '--frontend-port', '5010', '--yes'];
    const result = await runCliInProcess(args, env);
    expect(result.status).toBe(2);
    expect(result.stderr.split('\n').filter((l) => l.startsWith('  - '))).toEqual([
      '  - --port applies to --target docker, not lambda; remove it',
      '  - --frontend-port applies to --target docker, not lambda; remove it',
    ]);
    expect(existsSync(path.join(registry.dir, 'cloud_shop.ts'))).toBe(false);
  });

  it('writes a lambda tenant from flags', async () => {
    const args = ['add', '--key', 'cloud_shop', '--company', 'Cloud Shop', '--database', 'cloud_shop', '--plan', 'starter', '--admin', 'ann:ann@cloud.example', '--target', 'lambda', '--region', 'eu-central-1', '--s3-bucket', 'usualstore-builds', '--s3-key', 'api/1.0.0/bootstrap.zip', '--s3-object-version', 'v1', '--architecture', 'arm64', '--frontend', '--yes'];
    const result = await runCliInProcess(args, env);
    expect(result.status).toBe(0);
    // Where it went, also when the registry is not ./tenants.
    expect(result.stdout).toContain(`Wrote ${path.join(registry.dir, 'cloud_shop.ts')}.`);
    const tenant = loadRegistry(registry.dir).tenants.find((t) => t.key === 'cloud_shop');
    expect(tenant?.app).toEqual({
      target: 'lambda',
      region: 'eu-central-1',
      artifact: { s3Bucket: 'usualstore-builds', s3Key: 'api/1.0.0/bootstrap.zip', s3ObjectVersion: 'v1' },
      architecture: 'arm64',
      frontend: true,
      vpcEndpoints: false,
      egress: { httpsCidrs: ['0.0.0.0/0'], smtpCidrs: ['0.0.0.0/0'] },
    });
    // A new tenant's own RDS server runs the newest PostgreSQL the project proves.
    expect(tenant?.database.engine === 'mongodb' ? undefined : tenant?.database.postgresVersion).toBe(17);
  });
});

describe('tenants list and show', () => {
  it('lists every tenant with its database, plan, target, endpoint and people by kind', async () => {
    const result = await runCliInProcess(['list', '--json'], env);
    expect(result.status).toBe(0);
    const entries = JSON.parse(result.stdout) as { key: string; endpoint: string; people: Record<string, number> }[];
    expect(entries.map((e) => [e.key, e.endpoint, e.people])).toEqual([
      ['bookstore_2025', 'http://localhost:4003', { admins: 2, developers: 1, customers: 2 }],
      ['building_shop', 'http://localhost:4001', { admins: 1, developers: 2, customers: 1 }],
      ['flower_shop', 'https://api.flower-shop.example', { admins: 1, developers: 1, customers: 1 }],
      ['hardware_store', 'http://localhost:4002', { admins: 1, developers: 1, customers: 0 }],
      ['online_store_2025', 'API Gateway, eu-central-1', { admins: 2, developers: 3, customers: 2 }],
      ['tea_house', 'http://localhost:4090', { admins: 2, developers: 1, customers: 1 }],
    ]);
    const table = (await runCliInProcess(['list'], env)).stdout;
    expect(table).toMatch(/^ building_shop +Building Shop Inc +building_shop +professional +docker +http:\/\/localhost:4001 +1\/2\/1/m);
  });

  it('shows the role names and stacks a tenant gets', async () => {
    const result = await runCliInProcess(['show', 'hardware_store', '--json'], env);
    expect(result.status).toBe(0);
    const shown = JSON.parse(result.stdout);
    expect(shown.roles.people).toEqual([
      { kind: 'admin', username: 'alice', email: 'alice@hardware-store.example', role: 'hardware_store__alice' },
      { kind: 'developer', username: 'frank', email: 'frank@hardware-store.example', role: 'hardware_store__frank' },
    ]);
    expect(shown.stacks).toEqual([{ name: 'hardware_store', state: 'state/hardware_store.tfstate' }]);
    expect((await runCliInProcess(['show', 'hardware_store'], env)).stdout).toContain('hardware_store__owner  owner (NOLOGIN)');
  });

  it("shows a Lambda tenant's four stacks in deploy order", async () => {
    const shown = JSON.parse((await runCliInProcess(['show', 'online_store_2025', '--json'], env)).stdout);
    expect(shown.stacks.map((s: { name: string }) => s.name)).toEqual([
      'online_store_2025-network',
      'online_store_2025-database',
      'online_store_2025',
      'online_store_2025-app',
    ]);
  });

  it('exits 2 for a tenant that does not exist, naming the ones that do', async () => {
    const result = await runCliInProcess(['show', 'nope'], env);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('no tenant "nope"');
    expect(result.stderr).toContain('known tenants: bookstore_2025, building_shop, flower_shop, hardware_store, online_store_2025, tea_house');
  });
});

describe('tenants compose', () => {
  let out: string;
  beforeEach(() => {
    out = mkdtempSync(path.join(registry.dir, 'compose-'));
  });

  async function compose(key: string) {
    const file = path.join(out, `${key}.compose.yml`);
    const result = await runCliInProcess(['compose', key, '--out', file], env);
    return { result, file, doc: existsSync(file) ? parse(readFileSync(file, 'utf8')) : undefined };
  }

  it('sets every variable the API requires, secrets only as ${VARIABLES} (flaws 2 and 10)', async () => {
    const { result, doc, file } = await compose('building_shop');
    expect(result.status).toBe(0);
    const environment = doc.services.api.environment as Record<string, string>;
    expect(Object.keys(environment)).toEqual(['DATABASE_DSN', 'API_PORT', 'STRIPE_KEY', 'STRIPE_SECRET', 'SECRET_FOR_FRONT', 'FRONT_URL', 'SMTP_USER', 'SMTP_PASSWORD', 'SMTP_PORT']);
    for (const name of ['STRIPE_SECRET', 'SECRET_FOR_FRONT', 'SMTP_PASSWORD']) expect(environment[name]).toMatch(/^\$\{[A-Z_]+:\?[^}]+\}$/);
    expect(environment.DATABASE_DSN).toBe(
      'host=${DATABASE_HOST:-host.docker.internal} port=${DATABASE_PORT:-5432} user=building_shop__app ' +
        'password=${APP_DATABASE_PASSWORD:?set APP_DATABASE_PASSWORD in the environment or an env file} dbname=building_shop sslmode=${DATABASE_SSLMODE:-require}',
    );
    const envTemplate = readFileSync(file.replace('.compose.yml', '.env.example'), 'utf8');
    expect(envTemplate).toMatch(/^STRIPE_SECRET=$/m);
    expect(envTemplate.split('\n').filter((l) => /^[A-Z_]+=./.test(l))).toEqual([]);
  });

  it('gives the frontend the secret it shares with the API, and points at an env file git ignores', async () => {
    const { doc, result } = await compose('building_shop');
    expect(doc.services.frontend.environment.SECRET_FOR_FRONT).toMatch(/^\$\{SECRET_FOR_FRONT:\?/);
    expect(result.stdout).toMatch(/--env-file \S+building_shop\.env /);
    // Where the default --out puts it, and where people tend to put env files: both ignored by git.
    for (const file of ['compose/building_shop.env', 'building_shop.env']) {
      expect(spawnSync('git', ['check-ignore', '-q', file], { cwd: PROJECT_ROOT }).status).toBe(0);
    }
  });

  it('runs against the tenant database, not an empty database container', async () => {
    const { doc } = await compose('building_shop');
    expect(Object.keys(doc.services)).toEqual(['api', 'frontend']);
    expect(JSON.stringify(doc)).not.toMatch(/postgres:/);
  });

  it('gives every tenant its own host ports, so they run side by side', async () => {
    const ports: string[] = [];
    for (const key of ['bookstore_2025', 'building_shop', 'hardware_store']) {
      const { doc } = await compose(key);
      ports.push(...Object.values(doc.services as Record<string, { ports: string[] }>).flatMap((s) => s.ports.map((p) => p.split(':')[1])));
    }
    expect(ports.sort()).toEqual(['4001', '4002', '4003', '5001', '5003']);
  });

  it('refuses to replace an existing file without --force', async () => {
    expect((await compose('hardware_store')).result.status).toBe(0);
    const again = (await compose('hardware_store')).result;
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('hardware_store.compose.yml and ');
    expect(again.stderr).toContain('hardware_store.env.example exist; nothing was written; pass --force to replace');
  });

  it('writes neither file when only the env template exists', async () => {
    const template = path.join(out, 'hardware_store.env.example');
    writeFileSync(template, 'MINE=1\n');
    const { result, file } = await compose('hardware_store');
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`${template} exists; nothing was written`);
    expect(existsSync(file)).toBe(false);
    expect(readFileSync(template, 'utf8')).toBe('MINE=1\n');
  });
});

describe('--dry-run', () => {
  /** Every file of the registry directory with its content. */
  const snapshot = () => Object.fromEntries(readdirSync(registry.dir).map((f) => [f, readFileSync(path.join(registry.dir, f), 'utf8')]));

  it('add shows the file and roles it would write, writes nothing, and needs no --yes', async () => {
    const before = snapshot();
    const dry = await runCliInProcess([...VALID.filter((a) => a !== '--yes'), '--dry-run'], env);
    expect(dry.status).toBe(0);
    expect(snapshot()).toEqual(before);
    expect(dry.stdout.split('\n')[0]).toBe(`--dry-run: would write ${registry.dir}/test_shop.ts (nothing was written):`);
    expect(dry.stdout).toContain('Roles it would get:\n  test_shop__owner, test_shop__admins, test_shop__developers, test_shop__customers, test_shop__app, test_shop__migrator, test_shop__alice, test_shop__bob\n');
    expect((await runCliInProcess(VALID, env)).status).toBe(0);
    expect(dry.stdout).toContain(readFileSync(path.join(registry.dir, 'test_shop.ts'), 'utf8'));
  });

  it('add still refuses bad flags, as without it', async () => {
    const dry = await runCliInProcess([...withFlag('--plan', 'gold'), '--dry-run'], env);
    expect([dry.status, dry.stdout]).toEqual([2, '']);
    expect(dry.stderr).toContain('--plan (plan) "gold" is not a plan');
  });

  it('offboard and offboard --cancel show the line they would add or remove, change nothing, and need no confirmation', async () => {
    const file = path.join(registry.dir, 'hardware_store.ts');
    const before = readFileSync(file, 'utf8');
    const added = "  lifecycle: 'offboarding', // set by `npx tenants offboard`; `npx tenants offboard hardware_store --cancel` removes it";
    const dry = await runCliInProcess(['offboard', 'hardware_store', '--dry-run'], env);
    expect(dry.status).toBe(0);
    expect(dry.stdout).toContain(`--dry-run: would change ${file} (nothing was written):\n@@ line 4 @@\n+${added}\n`);
    expect(dry.stdout).toContain('bash scripts/cdktf.sh destroy hardware_store');
    expect(readFileSync(file, 'utf8')).toBe(before);
    expect((await runCliInProcess(['offboard', 'hardware_store', '--yes'], env)).status).toBe(0);
    const offboarded = readFileSync(file, 'utf8');
    const cancel = await runCliInProcess(['offboard', 'hardware_store', '--cancel', '--dry-run'], env);
    expect(cancel).toEqual({ status: 0, stdout: `--dry-run: would change ${file} (nothing was written):\n@@ line 4 @@\n-${added}\n`, stderr: '' });
    expect(readFileSync(file, 'utf8')).toBe(offboarded);
  });

  it('import-tfvars shows every file it would write, and writes none', async () => {
    const tfvars = path.join(__dirname, 'fixtures', 'original', 'customers.tfvars');
    const importDir = mkdtempSync(path.join(registry.dir, 'import-'));
    const dry = await runCliInProcess(['import-tfvars', tfvars, '--dry-run'], { TENANTS_DIR: importDir });
    expect(dry.status).toBe(0);
    expect(readdirSync(importDir)).toEqual([]);
    expect(dry.stdout.split('\n').filter((l) => l.startsWith('--'))).toEqual([
      '--dry-run: would write 4 tenant files in adoption mode (nothing was written):',
      ...['bookstore_2025', 'building_shop', 'garden_center', 'hardware_store'].map((key) => `--- ${importDir}/${key}.ts`),
    ]);
    expect((await runCliInProcess(['import-tfvars', tfvars], { TENANTS_DIR: importDir })).status).toBe(0);
    for (const written of readdirSync(importDir)) expect(dry.stdout).toContain(`--- ${importDir}/${written}\n${readFileSync(path.join(importDir, written), 'utf8')}`);
  });
});

describe('every command', () => {
  it('prints the version of the package with --version', async () => {
    const { version } = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8'));
    expect(await runCliInProcess(['--version'], env)).toEqual({ status: 0, stdout: `${version}\n`, stderr: '' });
  });


  test.each(['add', 'list', 'show', 'sql', 'migrate', 'status', 'compose', 'offboard', 'import-tfvars', 'check-plan', 'validate'])('%s has --help, which exits 0', async (command) => {
    const result = await runCliInProcess([command, '--help'], env);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^Usage: tenants ${command}`));
  });

  it('gives its examples as `npx tenants`, which prints no npm banner into a pipe, in the README and in the help of the commands', async () => {
    const readme = readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8');
    expect(readme.split('\n').filter((line) => line.includes('npm run tenants -- '))).toEqual([]);
    expect(readme).toContain('npx tenants sql building_shop | psql');
    // migrate and status (and the hints of ops/fleet.ts) are another change's: their examples move there.
    for (const command of ['add', 'list', 'show', 'sql', 'compose', 'offboard', 'import-tfvars', 'check-plan']) {
      const help = (await runCliInProcess([command, '--help'], env)).stdout;
      expect(help).not.toContain('npm run tenants');
    }
    expect((await runCliInProcess(['sql', '--help'], env)).stdout).toContain('npx tenants sql building_shop | psql');
  });

  test.each([
    ['show'],
    ['show', 'nope'],
    ['show', 'hardware_store', 'extra'],
    ['show', 'hardware_store', '--bogus'],
    ['migrate'],
    ['migrate', '--concurrency', '0', '--all'],
    ['status', '--concurrency', 'x'],
    ['frobnicate'],
    ['--bogus'],
    ['help', 'frobnicate'],
    ['add', '--yes'],
    ['compose', 'online_store_2025'],
    ['offboard', 'hardware_store'],
    ['import-tfvars', '/nonexistent.tfvars'],
    ['check-plan', 'hardware_store'],
  ].map((args) => [args.join(' '), args]))('ends the usage error of `tenants %s` with the hint to --help, exit 2', async (_command, args) => {
    const result = await runCliInProcess(args, env);
    expect(result.status).toBe(2);
    expect(result.stderr.trimEnd().split('\n').pop()).toBe('(add --help for usage)');
  });

  it('runs cdktf one way everywhere, scripts/cdktf.sh, in what the commands print and in the docs', async () => {
    const tfvars = path.join(__dirname, 'fixtures', 'original', 'customers.tfvars');
    const importDir = mkdtempSync(path.join(registry.dir, 'import-'));
    const printed = [
      (await runCliInProcess(VALID, env)).stdout,
      (await runCliInProcess(['offboard', 'hardware_store', '--yes'], env)).stdout,
      (await runCliInProcess(['offboard', 'online_store_2025', '--yes'], env)).stdout,
      (await runCliInProcess(['import-tfvars', tfvars], { TENANTS_DIR: importDir })).stdout,
      (await runCliInProcess(['list', '--help'], env)).stdout,
    ];
    const docs = ['README.md', 'docs/aws-lambda.md'].map((file) => readFileSync(path.join(PROJECT_ROOT, file), 'utf8'));
    for (const text of [...printed, ...docs]) {
      expect(text).toContain('bash scripts/cdktf.sh ');
      expect(text).not.toMatch(/npx cdktf|npm run cdktf/);
    }
  });

  it('never echoes a password from a malformed --url', async () => {
    const result = await runCliInProcess(['migrate', '--all', '--url', 'pg://admin:s3cret-value@db:x:y'], env);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('--url "pg://admin:***@db:x:y" is not a URL');
    expect(result.stderr).not.toContain('s3cret-value');
  });
});

describe('colour', () => {
  const terminal = { isTTY: true };
  const pipe = { isTTY: false };

  it('colours a terminal and never a pipe, whatever CI says', () => {
    expect(wantsColour(terminal, { TERM: 'xterm-256color' })).toBe(true);
    expect(wantsColour(pipe, { CI: 'true' })).toBe(false);
    expect(wantsColour(terminal, { TERM: 'dumb' })).toBe(false);
  });

  it('follows NO_COLOR when it is not empty, and FORCE_COLOR otherwise', () => {
    expect(wantsColour(terminal, { NO_COLOR: '1' })).toBe(false);
    expect(wantsColour(terminal, { NO_COLOR: '' })).toBe(true);
    expect(wantsColour(pipe, { FORCE_COLOR: '1' })).toBe(true);
    expect(wantsColour(terminal, { FORCE_COLOR: '0' })).toBe(false);
    expect(wantsColour(pipe, { NO_COLOR: '1', FORCE_COLOR: '1' })).toBe(false);
  });
});
