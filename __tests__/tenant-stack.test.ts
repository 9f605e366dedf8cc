import { Database } from '@cdktf/provider-postgresql/lib/database';
import { DefaultPrivileges } from '@cdktf/provider-postgresql/lib/default-privileges';
import { Grant } from '@cdktf/provider-postgresql/lib/grant';
import { GrantRole } from '@cdktf/provider-postgresql/lib/grant-role';
import { PostgresqlProvider } from '@cdktf/provider-postgresql/lib/provider';
import { Container } from '@cdktf/provider-docker/lib/container';
import { type EnvironmentError } from '../model/state-config';
import { formatProblem } from '../model/problems';
import { PLANS, PLAN_PROFILES } from '../model/plans';
import { stateBackendFromEnv } from '../model/state-config';
import type { TenantRoles } from '../constructs/postgres/tenant-roles';
import { loadRegistry } from '../tenants/registry';
import { DEFAULT_TENANTS_DIR } from '../tenants/registry/load';
import { addressOf, dependsOn, postgresTenants, refTo, resourcesOf, synth, synthJson, tenant, tenantStack } from './helpers';

type Resource = Record<string, unknown>;

function grantsOf(json: ReturnType<typeof synthJson>, roleRef: RegExp, objectType: string): Resource[] {
  return resourcesOf(json, 'postgresql_grant').filter((g) => roleRef.test(String(g.role)) && g.object_type === objectType);
}

describe('TenantStack database', () => {
  it('creates the customer-named database from template0, UTF8, owned by the owner role', () => {
    const stack = tenantStack(tenant({ database: { name: 'my_store' } }));
    expect(synth(stack)).toHaveResourceWithProperties(Database, {
      name: 'my_store',
      template: 'template0',
      encoding: 'UTF8',
      lc_collate: 'en_US.UTF-8',
      lc_ctype: 'en_US.UTF-8',
      owner: refTo(stack, 'Roles/RoleOwner'),
      lifecycle: { prevent_destroy: true },
    });
  });

  it('uses the configured collation', () => {
    const json = synth(tenantStack(tenant({ database: { name: 'test_shop', collation: 'de_DE.UTF-8' } })));
    expect(json).toHaveResourceWithProperties(Database, { lc_collate: 'de_DE.UTF-8', lc_ctype: 'de_DE.UTF-8' });
  });

  test.each(PLANS.map((plan) => [plan, PLAN_PROFILES[plan].connectionLimit]))(
    'limits a %s database to %d connections',
    (plan, limit) => {
      expect(synth(tenantStack(tenant({ plan })))).toHaveResourceWithProperties(Database, { connection_limit: limit });
    },
  );

  it('creates the database only after the admin is a member of the owner role', () => {
    const stack = tenantStack(tenant());
    const [database] = resourcesOf(synthJson(stack), 'postgresql_database');
    expect(database.depends_on).toEqual([addressOf(stack, 'Roles/AdminMembership')]);
  });
});

describe('TenantStack roles', () => {
  const stack = tenantStack(tenant());
  const json = synthJson(stack);
  const roles = resourcesOf(json, 'postgresql_role');

  it('creates NOLOGIN owner and group roles and LOGIN roles for people, the app and the migrator, all prefixed with the key', () => {
    expect(roles.map((r) => [r.name, r.login]).sort()).toEqual([
      ['test_shop__admins', false],
      ['test_shop__alice', true],
      ['test_shop__app', true],
      ['test_shop__bob', true],
      ['test_shop__carol', true],
      ['test_shop__customers', false],
      ['test_shop__developers', false],
      ['test_shop__migrator', true],
      ['test_shop__owner', false],
    ]);
  });

  test.each(PLANS.map((plan) => [plan, PLAN_PROFILES[plan].appConnectionLimit, PLAN_PROFILES[plan].personConnectionLimit]))(
    'limits each login of a %s tenant: the app to %d connections, each person to %d, the migrator to 2',
    (plan, app, person) => {
      const limits = Object.fromEntries(resourcesOf(synthJson(tenantStack(tenant({ plan }))), 'postgresql_role').map((r) => [r.name, r.connection_limit]));
      expect(limits).toEqual({
        test_shop__owner: undefined,
        test_shop__admins: undefined,
        test_shop__developers: undefined,
        test_shop__customers: undefined,
        test_shop__app: app,
        test_shop__migrator: 2,
        test_shop__alice: person,
        test_shop__bob: person,
        test_shop__carol: person,
      });
    },
  );

  it('pins the search path of the app and the migrator to the store schema, so no schema a tenant role made is searched', () => {
    const paths = Object.fromEntries(roles.filter((r) => r.search_path).map((r) => [r.name, r.search_path]));
    expect(paths).toEqual({ test_shop__app: ['public'], test_shop__migrator: ['public'] });
  });

  it('names person roles opaquely when the tenant asks, so other logins on the server cannot read usernames', () => {
    const names = resourcesOf(synthJson(tenantStack(tenant({ roleNames: 'opaque' }))), 'postgresql_role').map((r) => String(r.name));
    expect(names.filter((name) => /alice|bob|carol/.test(name))).toEqual([]);
    expect(names.filter((name) => /^test_shop__p_[0-9a-f]{12}$/.test(name))).toHaveLength(3);
  });

  it('gives the migrator no password at rest and makes it a member of the owner role only', () => {
    const migrator = roles.find((r) => r.name === 'test_shop__migrator') as Resource;
    expect(['password', 'password_wo', 'password_wo_version'].filter((field) => field in migrator)).toEqual([]);
    expect(migrator.roles).toEqual([refTo(stack, 'Roles/RoleOwner')]);
  });

  it('gives no role superuser, CREATEDB, CREATEROLE, REPLICATION or BYPASSRLS', () => {
    for (const role of roles) {
      expect([role.superuser, role.create_database, role.create_role, role.replication, role.bypass_row_level_security]).toEqual([false, false, false, false, false]);
    }
  });

  it('makes each person a member of their kind group', () => {
    const memberships = Object.fromEntries(roles.filter((r) => r.roles).map((r) => [r.name, r.roles]));
    expect(memberships).toEqual({
      test_shop__alice: [refTo(stack, 'Roles/RoleGroup_admin')],
      test_shop__bob: [refTo(stack, 'Roles/RoleGroup_developer')],
      test_shop__carol: [refTo(stack, 'Roles/RoleGroup_customer')],
      test_shop__migrator: [refTo(stack, 'Roles/RoleOwner')],
    });
  });

  it('sets login passwords write-only from generated passwords (flaw 2)', () => {
    const logins = roles.filter((r) => r.login && r.name !== 'test_shop__migrator');
    expect(logins.map((r) => r.password_wo)).toEqual(logins.map(() => expect.stringMatching(/^\$\{random_password\.[A-Za-z_0-9]+\.result\}$/)));
    expect(roles.some((r) => 'password' in r)).toBe(false);
    // A replaced password changes the version too, so the role gets the new one.
    expect(logins.map((r) => r.password_wo_version)).toEqual(logins.map((r) => String(r.password_wo).replace('.result}', '.bcrypt_hash}')));
  });

  it('makes the Terraform admin a persistent member of the owner role', () => {
    expect(JSON.stringify(json)).toHaveResourceWithProperties(GrantRole, {
      role: '${var.postgres_admin_role}',
      grant_role: refTo(stack, 'Roles/RoleOwner'),
    });
  });
});

describe('TenantRoles lookups', () => {
  it('refuses a role the access model does not define, naming the construct', () => {
    const stack = tenantStack(tenant());
    const roles = stack.node.findChild('Roles') as TenantRoles;
    expect(() => roles.role('nobody')).toThrow(
      'test_shop/Roles: the access model names role "nobody", which it does not define; build roles and grants from one accessModel()',
    );
    expect(() => roles.password('test_shop__owner')).toThrow('test_shop/Roles: role "test_shop__owner" has no generated password; only LOGIN roles have one');
  });
});

describe('TenantStack privileges', () => {
  const stack = tenantStack(tenant());
  const json = synthJson(stack);

  test.each([
    ['admins', 'database', ['CONNECT', 'TEMPORARY']],
    ['admins', 'table', ['DELETE', 'INSERT', 'SELECT', 'TRUNCATE', 'UPDATE']],
    ['admins', 'sequence', ['SELECT', 'UPDATE', 'USAGE']],
    ['developers', 'database', ['CONNECT', 'TEMPORARY']],
    ['developers', 'table', ['INSERT', 'SELECT', 'UPDATE']],
    ['developers', 'sequence', ['SELECT', 'USAGE']],
    ['customers', 'database', ['CONNECT']],
    ['customers', 'table', ['SELECT']],
    ['customers', 'sequence', []],
    ['app', 'database', ['CONNECT']],
    ['app', 'table', ['DELETE', 'INSERT', 'SELECT', 'UPDATE']],
    ['app', 'sequence', ['SELECT', 'USAGE']],
  ])('grants %s exactly %s privileges %j, with one grant resource', (who, objectType, privileges) => {
    const roleRef = who === 'app' ? /RoleApp_/ : new RegExp(`RoleGroup_${who.slice(0, -1)}_`);
    const grants = grantsOf(json, roleRef, objectType);
    expect(grants.map((g) => g.privileges)).toEqual([privileges]);
  });

  it('gives admins CREATE in the workspace schema and nowhere else: no database CREATE, no TRIGGER, no REFERENCES', () => {
    const admins = resourcesOf(json, 'postgresql_grant').filter((g) => /RoleGroup_admin_/.test(String(g.role)));
    expect(admins.filter((g) => (g.privileges as string[]).some((p) => ['CREATE', 'TRIGGER', 'REFERENCES'].includes(p))).map((g) => [g.object_type, g.schema, g.privileges])).toEqual([
      ['schema', 'workspace', ['CREATE', 'USAGE']],
    ]);
  });

  it('creates the history and workspace schemas with the database, owned by the owner role, before any grant', () => {
    const schemas = resourcesOf(json, 'postgresql_schema');
    expect(schemas.map((s) => [s.name, s.owner, s.database])).toEqual([
      ['usual_store_meta', refTo(stack, 'Roles/RoleOwner'), refTo(stack, 'Database/Database')],
      ['workspace', refTo(stack, 'Roles/RoleOwner'), refTo(stack, 'Database/Database')],
    ]);
    // The chain of grants starts with the admin's CONNECT, which waits for the database and both schemas.
    expect(json.resource.postgresql_grant[addressOf(stack, 'Access/GrantTerraformAdmin_database').split('.')[1]].depends_on).toEqual([
      addressOf(stack, 'Database/Database'),
      addressOf(stack, 'Preparation/Runner'),
      addressOf(stack, 'Schemas/History'),
      addressOf(stack, 'Schemas/Workspace'),
    ]);
  });

  it('gives the app no DDL, TRUNCATE or TRIGGER (flaw 7)', () => {
    const appPrivileges = resourcesOf(json, 'postgresql_grant')
      .filter((g) => /RoleApp_/.test(String(g.role)))
      .flatMap((g) => g.privileges as string[]);
    expect(appPrivileges.filter((p) => ['CREATE', 'TRUNCATE', 'TRIGGER', 'TEMPORARY'].includes(p))).toEqual([]);
  });

  it('has exactly one grant per (role, database, schema, object type)', () => {
    const targets = resourcesOf(json, 'postgresql_grant').map((g) => `${g.role}|${g.database}|${g.schema ?? ''}|${g.object_type}`);
    expect(new Set(targets).size).toBe(targets.length);
  });

  it('revokes everything from PUBLIC on the database and the public schema (flaw 3)', () => {
    const publicGrants = resourcesOf(json, 'postgresql_grant').filter((g) => g.role === 'public');
    expect(publicGrants.map((g) => [g.object_type, g.schema, g.privileges])).toEqual([
      ['database', undefined, []],
      ['schema', 'public', []],
    ]);
  });

  it('keeps CONNECT for the Terraform admin before PUBLIC loses it', () => {
    const admin = addressOf(stack, 'Access/GrantTerraformAdmin_database');
    const revoke = addressOf(stack, 'Access/GrantPublic_database');
    expect(resourcesOf(json, 'postgresql_grant').find((g) => g.role === '${var.postgres_admin_role}')?.privileges).toEqual(['CONNECT']);
    expect([dependsOn(json, revoke, admin), dependsOn(json, admin, revoke)]).toEqual([true, false]);
  });

  it('orders every grant and default privilege in one chain, so none run in parallel', () => {
    const all = { ...json.resource.postgresql_grant, ...json.resource.postgresql_default_privileges };
    const addresses = [
      ...Object.keys(json.resource.postgresql_grant).map((id) => `postgresql_grant.${id}`),
      ...Object.keys(json.resource.postgresql_default_privileges).map((id) => `postgresql_default_privileges.${id}`),
    ];
    const dependents = Object.values(all).map((r) => (r.depends_on as string[]).filter((d) => addresses.includes(d)));
    // Every resource but the last is depended on by exactly one other: a single line.
    expect(new Set(dependents.flat()).size).toBe(addresses.length - 1);
    expect(dependents.filter((d) => d.length === 0)).toHaveLength(1);
    expect(dependents.every((d) => d.length <= 1)).toBe(true);
  });

  it('sets default privileges so tables and sequences created later are covered (flaw 4)', () => {
    const defaults = resourcesOf(json, 'postgresql_default_privileges');
    expect(defaults.map((d) => [String(d.role).replace(/^\$\{postgresql_role\.Roles_Role(\w+?)_[0-9A-F]{8}\.name\}$/, '$1'), d.object_type, d.schema, d.privileges]).sort()).toEqual([
      ['Group_admin', 'table', 'public', ['DELETE', 'INSERT', 'SELECT', 'TRUNCATE', 'UPDATE']],
      ['Group_admin', 'sequence', 'public', ['SELECT', 'UPDATE', 'USAGE']],
      ['Group_developer', 'table', 'public', ['INSERT', 'SELECT', 'UPDATE']],
      ['Group_developer', 'sequence', 'public', ['SELECT', 'USAGE']],
      ['Group_customer', 'table', 'public', ['SELECT']],
      ['Group_customer', 'sequence', 'public', []],
      ['App', 'table', 'public', ['DELETE', 'INSERT', 'SELECT', 'UPDATE']],
      ['App', 'sequence', 'public', ['SELECT', 'USAGE']],
      ['public', 'function', undefined, []],
    ].sort());
    expect(defaults.every((d) => d.owner === refTo(stack, 'Roles/RoleOwner'))).toBe(true);
  });

  it('uses grants and default privileges whose privilege names the provider accepts', () => {
    const privileges = [...resourcesOf(json, 'postgresql_grant'), ...resourcesOf(json, 'postgresql_default_privileges')].flatMap(
      (r) => r.privileges as string[],
    );
    expect(privileges.filter((p) => p !== p.toUpperCase() || p === 'TEMP' || p === 'ALL' || p === 'MAINTAIN')).toEqual([]);
  });

  it('configures the provider for managed servers, connecting as the admin variable, the rest from the environment (flaw 11)', () => {
    const text = JSON.stringify(json);
    expect(text).toHaveProviderWithProperties(PostgresqlProvider, { superuser: false });
    // Host, port, password and sslmode come from PGHOST, PGPORT, PGPASSWORD and PGSSLMODE; no database is named.
    expect(json.provider.postgresql[0]).toEqual({ superuser: false, username: '${var.postgres_admin_role}' });
    expect(text).toHaveResource(Grant);
    expect(text).toHaveResource(DefaultPrivileges);
    expect(resourcesOf(json, 'postgresql_database')).toHaveLength(1);
  });
});

describe('TenantStack migrations', () => {
  it('runs the migration runner after the last privilege, re-triggered by the migration checksum', () => {
    const stack = tenantStack(tenant(), { migrationsChecksum: 'abc123' });
    const json = synthJson(stack);
    const [runner] = resourcesOf(json, 'terraform_data');
    expect(runner).toEqual({
      triggers_replace: { database: refTo(stack, 'Database/Database'), migrations: 'abc123' },
      depends_on: [addressOf(stack, 'Access/DefaultPublic_function')],
      provisioner: [
        { 'local-exec': { command: 'npm run --silent tenants -- migrate test_shop', working_dir: '../../..', environment: { PGUSER: '${var.postgres_admin_role}' } } },
      ],
    });
  });
});

describe('TenantStack docker app', () => {
  const stack = tenantStack(tenant({ app: { target: 'docker', port: 4100, frontend: { port: 5100 } } }));
  const json = synthJson(stack);
  const [api, frontend] = resourcesOf(json, 'docker_container');

  it('runs the API with every environment variable the store requires (flaw 10)', () => {
    const names = (api.env as string[]).map((e) => e.split('=')[0]);
    expect(names).toEqual(['DATABASE_DSN', 'API_PORT', 'STRIPE_KEY', 'STRIPE_SECRET', 'SECRET_FOR_FRONT', 'FRONT_URL', 'SMTP_USER', 'SMTP_PASSWORD', 'SMTP_PORT']);
  });

  it('connects the app as the app role, over TLS by default (flaws 7 and 8)', () => {
    const dsn = (api.env as string[])[0];
    expect(dsn).toBe(
      `DATABASE_DSN=host=\${var.app_database_host} port=\${var.database_port} user=${refTo(stack, 'Roles/RoleApp')} ` +
        `password=${refTo(stack, 'Roles/PasswordApp', 'result')} dbname=${refTo(stack, 'Database/Database')} sslmode=\${var.database_sslmode}`,
    );
    expect(json.variable.database_sslmode.default).toBe('require');
  });

  it('takes app secrets from sensitive variables without defaults', () => {
    for (const name of ['stripe_secret', 'smtp_password']) {
      expect(json.variable[name]).toEqual(expect.objectContaining({ sensitive: true }));
      expect(json.variable[name].default).toBeUndefined();
    }
  });

  it('publishes the registry ports on the loopback address, with a bounded restart policy, labels and its own network', () => {
    expect(JSON.stringify(json)).toHaveResourceWithProperties(Container, {
      name: 'usualstore-test-shop-api',
      restart: 'on-failure',
      max_retry_count: 5,
      ports: [{ internal: 4000, external: 4100, ip: '127.0.0.1' }],
      labels: [
        { label: 'usualstore.tenant', value: 'test_shop' },
        { label: 'usualstore.plan', value: 'free' },
      ],
      networks_advanced: [{ name: refTo(stack, 'App/Network') }],
    });
    expect(api.depends_on).toEqual([addressOf(stack, 'Migrations/Runner')]);
  });

  it("labels the containers with the tenant's own tags, which never replace its tenant and plan labels", () => {
    // The registry refuses usualstore.* tag keys; a construct user who bypasses it still cannot relabel a tenant.
    const tagged = synthJson(tenantStack(tenant({ tags: { team: 'north', 'usualstore.tenant': 'other_shop', 'UsualStore.plan': 'enterprise' } })));
    const [container] = resourcesOf(tagged, 'docker_container');
    expect(container.labels).toEqual([
      { label: 'usualstore.tenant', value: 'test_shop' },
      { label: 'usualstore.plan', value: 'free' },
      { label: 'team', value: 'north' },
    ]);
  });

  it('runs the frontend on its own port, pointed at this tenant API', () => {
    expect(frontend).toEqual(
      expect.objectContaining({
        name: 'usualstore-test-shop-frontend',
        env: ['API_URL=http://localhost:4100', `SECRET_FOR_FRONT=${refTo(stack, 'SecretForFront', 'result')}`],
        ports: [{ internal: 80, external: 5100, ip: '127.0.0.1' }],
      }),
    );
    expect((api.env as string[]).find((e) => e.startsWith('FRONT_URL='))).toBe('FRONT_URL=http://localhost:5100');
  });

  it("confines both containers: the tenant's own non-root user, read-only root with a tmpfs, no capabilities, no new privileges, init, rotated logs, a TCP healthcheck", () => {
    const confinement = (c: Resource) => [c.user, c.read_only, c.capabilities, c.security_opts, c.init, c.log_driver, c.log_opts, (c.healthcheck as Resource).test];
    expect([confinement(api), confinement(frontend)]).toEqual([
      ['204100:204100', true, { drop: ['ALL'] }, ['no-new-privileges:true'], true, 'json-file', { 'max-size': '10m', 'max-file': '3' }, ['CMD-SHELL', 'nc -z 127.0.0.1 4000 || exit 1']],
      ['204100:204100', true, { drop: ['ALL'] }, ['no-new-privileges:true'], true, 'json-file', { 'max-size': '10m', 'max-file': '3' }, ['CMD-SHELL', 'nc -z 127.0.0.1 80 || exit 1']],
    ]);
    expect([api.tmpfs, frontend.tmpfs, frontend.sysctls]).toEqual([
      { '/tmp': 'rw,noexec,nosuid,size=64m' },
      { '/tmp': 'rw,noexec,nosuid,size=64m', '/run': 'rw,noexec,nosuid,size=1m', '/var/cache/nginx': 'rw,noexec,nosuid,size=64m' },
      { 'net.ipv4.ip_unprivileged_port_start': '0' },
    ]);
  });

  it('gives every tenant its own user id, from its unique API port', () => {
    const users = [4100, 4101].map((port) => resourcesOf(synthJson(tenantStack(tenant({ app: { target: 'docker', port } }))), 'docker_container')[0].user);
    expect(users).toEqual(['204100:204100', '204101:204101']);
  });

  test.each(PLANS.map((plan) => [plan, PLAN_PROFILES[plan]] as const))('limits a %s tenant\'s API container by its plan, with no swap', (plan, profile) => {
    const [container] = resourcesOf(synthJson(tenantStack(tenant({ plan }))), 'docker_container');
    expect([container.memory, container.memory_swap, container.cpus, container.ulimit]).toEqual([
      profile.containerMemoryMiB,
      profile.containerMemoryMiB,
      String(profile.containerCpus),
      [{ name: 'nproc', soft: profile.containerProcessLimit, hard: profile.containerProcessLimit }],
    ]);
  });

  it("takes a tenant's own container limits over its plan's, and gives the frontend a small fixed share", () => {
    const json2 = synthJson(tenantStack(tenant({ app: { target: 'docker', port: 4100, frontend: { port: 5100 }, limits: { memoryMiB: 3072, cpus: 1.5 } } })));
    expect(resourcesOf(json2, 'docker_container').map((c) => [c.name, c.memory, c.cpus])).toEqual([
      ['usualstore-test-shop-api', 3072, '1.5'],
      ['usualstore-test-shop-frontend', 128, '0.25'],
    ]);
  });

  it('creates no frontend when the tenant has none', () => {
    expect(resourcesOf(synthJson(tenantStack(tenant())), 'docker_container').map((c) => c.name)).toEqual(['usualstore-test-shop-api']);
  });
});

describe('TenantStack outputs', () => {
  const stack = tenantStack(tenant());
  const json = synthJson(stack);

  it('outputs database name, company, plan, usernames, role names and app URL in the clear, and no email', () => {
    expect(json.output.database_name).toEqual({ description: 'The tenant database.', value: refTo(stack, 'Database/Database') });
    expect(json.output.role_names.value).toEqual({
      owner: 'test_shop__owner',
      groups: { admin: 'test_shop__admins', developer: 'test_shop__developers', customer: 'test_shop__customers' },
      app: 'test_shop__app',
      people: { alice: 'test_shop__alice', bob: 'test_shop__bob', carol: 'test_shop__carol' },
    });
    expect(json.output.app_url.value).toBe('http://localhost:4100');
    expect([json.output.company.value, json.output.plan.value, json.output.people.value]).toEqual([
      'Test Shop',
      'free',
      { admins: ['alice'], developers: ['bob'], customers: ['carol'] },
    ]);
    expect(JSON.stringify(json.output)).not.toMatch(/@test\.example/);
  });

  it('requires the Terraform version with write-only attributes', () => {
    expect((json as unknown as { terraform: { required_version: string } }).terraform.required_version).toBe('>= 1.11.1');
  });

  it('outputs connection strings only as sensitive', () => {
    expect(json.output.connection_strings.sensitive).toBe(true);
    expect(Object.keys(json.output.connection_strings.value as object)).toEqual(['test_shop__alice', 'test_shop__app', 'test_shop__bob', 'test_shop__carol']);
    const plain = Object.entries(json.output).filter(([, o]) => !o.sensitive);
    expect(plain.filter(([, o]) => /password/.test(JSON.stringify(o.value)))).toEqual([]);
  });
});

describe('TenantStack state', () => {
  it('keeps each tenant in its own local state file by default (flaw 1)', () => {
    const a = synthJson(tenantStack(tenant({ key: 'shop_a' })));
    const b = synthJson(tenantStack(tenant({ key: 'shop_b' })));
    expect([a.terraform.backend, b.terraform.backend]).toEqual([
      { local: { path: '../../../state/shop_a.tfstate' } },
      { local: { path: '../../../state/shop_b.tfstate' } },
    ]);
  });

  it('uses an encrypted, lock-file-locked S3 object per tenant when configured', () => {
    const json = synthJson(
      tenantStack(tenant(), { stateBackend: { kind: 's3', bucket: 'fleet-state', region: 'eu-west-1', keyPrefix: 'tenants', kmsKeyId: 'alias/state' } }),
    );
    expect(json.terraform.backend).toEqual({
      s3: { bucket: 'fleet-state', region: 'eu-west-1', key: 'tenants/test_shop/terraform.tfstate', encrypt: true, kms_key_id: 'alias/state', use_lockfile: true },
    });
  });

  it('reads the backend from the environment: local without a bucket, S3 with one', () => {
    expect(stateBackendFromEnv({})).toEqual({ kind: 'local', dir: 'state' });
    expect(stateBackendFromEnv({ TENANT_STATE_BUCKET: 'fleet-state', AWS_REGION: 'eu-west-1' })).toEqual({
      kind: 's3',
      bucket: 'fleet-state',
      region: 'eu-west-1',
      keyPrefix: 'usual-store-tenants',
    });
    expect(
      stateBackendFromEnv({ TENANT_STATE_BUCKET: 'fleet-state', TENANT_STATE_REGION: 'us-east-2', AWS_REGION: 'eu-west-1', TENANT_STATE_PREFIX: 'fleets/eu', TENANT_STATE_KMS_KEY_ID: 'alias/state' }),
    ).toEqual({ kind: 's3', bucket: 'fleet-state', region: 'us-east-2', keyPrefix: 'fleets/eu', kmsKeyId: 'alias/state' });
  });

  it('reports every problem of the backend settings at once', () => {
    const problems = (env: NodeJS.ProcessEnv) => {
      try {
        stateBackendFromEnv(env);
        return [];
      } catch (error) {
        return (error as EnvironmentError).problems.map(formatProblem);
      }
    };
    expect(problems({ TENANT_STATE_BUCKET: 'Fleet_State', TENANT_STATE_PREFIX: '/tenants/' })).toEqual([
      'TENANT_STATE_BUCKET "Fleet_State" is not an S3 bucket name; use 3 to 63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit',
      'TENANT_STATE_REGION is not set, nor AWS_REGION, but TENANT_STATE_BUCKET is ("Fleet_State"): set it to the bucket\'s region',
      "TENANT_STATE_PREFIX \"/tenants/\" must be an S3 key prefix without a leading or trailing '/' and without '//', e.g. usual-store-tenants or fleets/eu",
    ]);
    expect(problems({ TENANT_STATE_BUCKET: 'fleet-state', AWS_REGION: 'Frankfurt' })).toEqual(['AWS_REGION "Frankfurt" is not an AWS region name; use e.g. eu-west-1 or us-east-1']);
  });
});

describe('example tenants', () => {
  const tenants = postgresTenants(loadRegistry(DEFAULT_TENANTS_DIR).tenants);

  test.each(tenants.map((t) => [t.key, t]))('%s synthesizes as in its snapshot', (_key, t) => {
    expect(synthJson(tenantStack(t))).toMatchSnapshot();
  });

  test.each(tenants.map((t) => [t.key, t]))('%s has the resource addresses in its snapshot', (_key, t) => {
    const json = synthJson(tenantStack(t));
    const addresses = Object.entries(json.resource).flatMap(([type, byId]) => Object.keys(byId).map((id) => `${type}.${id}`));
    expect(addresses.sort()).toMatchSnapshot();
  });

  it('gives every role Terraform creates a name within 63 bytes', () => {
    for (const t of tenants) {
      const names = resourcesOf(synthJson(tenantStack(t)), 'postgresql_role').map((r) => String(r.name));
      expect(names.filter((n) => Buffer.byteLength(n) > 63)).toEqual([]);
    }
  });

});
