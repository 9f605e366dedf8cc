import type { Command } from 'commander';
import { KIND_PRIVILEGES, accessModel } from '../../model/access-model';
import { PEOPLE_FIELDS, PERSON_KINDS, kubernetesNamespace, tenantRoleNames, tenantStackNames } from '../../model/naming';
import { PLAN_PROFILES } from '../../model/plans';
import { type StateBackendConfig, stateBackendFromEnv } from '../../model/state-config';
import { type PostgresTenant as Tenant, type ResolvedKubernetesTarget, isMongoTenant } from '../../tenants/registry';
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
    database: { ...model.database, server: tenant.database.server ?? `its own RDS instance (${tenant.key}-database)` },
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

/** The app of a Kubernetes tenant, as `show` prints it: namespace, images, pods by plan, exposure, database. */
function kubernetesAppLine(key: string, plan: Tenant['plan'], app: ResolvedKubernetesTarget & { endpoint: string }): string {
  const profile = PLAN_PROFILES[plan];
  const pods = profile.podMaxReplicas > profile.podReplicas ? `${profile.podReplicas} to ${profile.podMaxReplicas} API pods (autoscaled)` : `${profile.podReplicas} API pod${profile.podReplicas === 1 ? '' : 's'}`;
  const server = app.databaseServer;
  return [
    `  kubernetes: namespace ${kubernetesNamespace(key)}, ${app.image}, ${pods}, limits ${profile.containerMemoryMiB} MiB and ${profile.containerCpus} CPU each`,
    ...(app.frontend ? [`  frontend ${app.frontend.image}${app.ingress?.frontendHost ? ` on https://${app.ingress.frontendHost}` : ''}`] : []),
    `  ${app.ingress ? `Ingress ${app.endpoint} (TLS secret ${app.ingress.tlsSecret})` : 'no Ingress: the Services answer inside the cluster'}; connections only from namespace ${app.ingressNamespace}`,
    `  database ${server.host}:${server.port} (sslmode ${server.sslmode}); egress only to ${server.cidrs.join(', ')} and DNS`,
  ].join('\n');
}

function text(d: ReturnType<typeof describeTenant>, colour: Colours): string {
  const heading = (title: string) => colour.bold(title);
  const app = d.app;
  const lines = [
    `${heading(d.key)}  ${d.company}  (${d.plan}${d.lifecycle === 'active' ? '' : `, ${colour.yellow(d.lifecycle)}`})  ${colour.dim(d.file)}`,
    '',
    heading('Database'),
    `  ${d.database.name}: owner ${d.database.owner}, ${d.database.encoding}, collation ${d.database.collation}, ` +
      `connection limit ${d.database.connectionLimit}, ${d.lifecycle === 'offboarding' ? colour.yellow('protection lifted (offboarding)') : 'protected (prevent_destroy)'}, on ${d.database.server}`,
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
      : app.target === 'kubernetes'
        ? kubernetesAppLine(d.key, d.plan, app)
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
