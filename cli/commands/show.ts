import type { Command } from 'commander';
import { KIND_PRIVILEGES, accessModel } from '../../model/access-model';
import { PEOPLE_FIELDS, PERSON_KINDS, tenantRoleNames, tenantStackNames } from '../../model/naming';
import { PLAN_PROFILES } from '../../model/plans';
import { type StateBackendConfig, stateBackendFromEnv } from '../../model/state-config';
import { type PostgresTenant as Tenant, isMongoTenant } from '../../tenants/registry';
import { describeMongoTenant, mongoTenantText } from '../mongo-show';
import type { Colours, CliIo } from '../io';
import { registry, tenantByKey } from '../registry';
import { endpointOf } from '../endpoint';

function stateLocation(backend: StateBackendConfig, stack: string): string {
  return backend.kind === 'local' ? `${backend.dir}/${stack}.tfstate` : `s3://${backend.bucket}/${backend.keyPrefix}/${stack}/terraform.tfstate (${backend.region})`;
}

/** Everything about one tenant, as `show --json` prints it. */
export function describeTenant(tenant: Tenant, env: NodeJS.ProcessEnv = process.env) {
  const names = tenantRoleNames(tenant);
  const model = accessModel(tenant);
  const backend = stateBackendFromEnv(env);
  return {
    key: tenant.key,
    company: tenant.company,
    plan: tenant.plan,
    planProfile: PLAN_PROFILES[tenant.plan],
    lifecycle: tenant.lifecycle,
    file: tenant.file,
    database: { ...model.database },
    roles: {
      owner: names.owner,
      groups: names.groups,
      app: names.app,
      migrator: names.migrator,
      naming: tenant.roleNames,
      people: PERSON_KINDS.flatMap((kind) =>
        tenant.people[PEOPLE_FIELDS[kind]].map((p) => ({ kind, username: p.username, email: p.email, role: names.people.get(p.username) })),
      ),
    },
    privileges: KIND_PRIVILEGES,
    app: { ...tenant.app, endpoint: endpointOf(tenant) },
    tags: tenant.tags,
    legacyRoles: tenant.adopt?.legacyRoles ?? [],
    stacks: tenantStackNames(tenant).map((name) => ({ name, state: stateLocation(backend, name) })),
  };
}

function text(d: ReturnType<typeof describeTenant>, colour: Colours): string {
  const heading = (title: string) => colour.bold(title);
  const app = d.app;
  const lines = [
    `${heading(d.key)}  ${d.company}  (${d.plan}${d.lifecycle === 'active' ? '' : `, ${colour.yellow(d.lifecycle)}`})  ${colour.dim(d.file)}`,
    '',
    heading('Database'),
    `  ${d.database.name}: owner ${d.database.owner}, ${d.database.encoding}, collation ${d.database.collation}, ` +
      `connection limit ${d.database.connectionLimit}, ${d.lifecycle === 'offboarding' ? colour.yellow('protection lifted (offboarding)') : 'protected (prevent_destroy)'}`,
    '',
    heading(d.roles.naming === 'opaque' ? 'Roles (people named opaquely: usernames are not in role names)' : 'Roles'),
    `  ${d.roles.owner}  owner (NOLOGIN)`,
    ...PERSON_KINDS.map((kind) => `  ${d.roles.groups[kind]}  ${kind} group (NOLOGIN): tables ${KIND_PRIVILEGES[kind].table.join(', ') || '-'}`),
    `  ${d.roles.app}  store app (LOGIN): tables ${KIND_PRIVILEGES.app.table.join(', ')}`,
    `  ${d.roles.migrator}  migration runner (LOGIN, member of the owner; a password only while a run lasts)`,
    ...d.roles.people.map((p) => `  ${p.role}  ${p.kind} ${p.username} <${p.email}> (LOGIN)`),
    '',
    heading('App'),
    app.target === 'docker'
      ? `  docker: ${app.image} on ${app.endpoint}${app.frontend ? `, frontend ${app.frontend.image} on http://localhost:${app.frontend.port}` : ''}, ` +
        `limits ${app.limits.memoryMiB} MiB and ${app.limits.cpus} CPU`
      : `  lambda (${app.architecture}) in ${app.region}: ${'imageUri' in app.artifact ? app.artifact.imageUri : `s3://${app.artifact.s3Bucket}/${app.artifact.s3Key}`}, ` +
        `${app.vpc ? `VPC ${app.vpc.id}` : 'a new VPC'}${app.frontend ? ', frontend on CloudFront' : ''}`,
    '',
    ...(d.legacyRoles.length
      ? [
          heading('Legacy roles (from the original system; no privileges here after adoption; retire them by hand, see the README)'),
          `  ${d.legacyRoles.join(', ')}`,
          '',
        ]
      : []),
    heading('Stacks (deploy in this order)'),
    ...d.stacks.map((s) => `  ${s.name}  state: ${s.state}`),
    '',
  ];
  return lines.join('\n');
}

/** `tenants show <key>`: everything about one tenant, including the role names and stacks it gets. */
export function registerShow(program: Command, io: CliIo): void {
  program
    .command('show')
    .description('show everything about one tenant: database, roles, privileges, app, stacks')
    .argument('<key>', 'tenant key')
    .option('--json', 'machine-readable output')
    .action((key: string, options: { json?: boolean }) => {
      const tenant = tenantByKey(registry(io.env), key);
      if (isMongoTenant(tenant)) {
        const mongo = describeMongoTenant(tenant, io.env);
        io.stdout.write(options.json ? `${JSON.stringify(mongo, null, 2)}\n` : mongoTenantText(mongo, io.colour));
        return;
      }
      const description = describeTenant(tenant as Tenant, io.env);
      io.stdout.write(options.json ? `${JSON.stringify(description, null, 2)}\n` : text(description, io.colour));
    });
}
