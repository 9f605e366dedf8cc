/**
 * `tenants show` for a MongoDB tenant: its database and where it runs, its
 * users and their roles (the MongoDB access model), the app and the stacks.
 */
import { MONGO_KIND_ROLES, mongoAccessModel } from '../model/mongo-access-model';
import { MONGO_PLAN_PROFILES } from '../model/mongo-plans';
import { PLAN_PROFILES } from '../model/plans';
import { type StateBackendConfig, stateBackendFromEnv } from '../model/state-config';
import { tenantStackNames } from '../model/naming';
import type { MongoTenant } from '../tenants/registry';
import { endpointOf } from './endpoint';
import type { Colours } from './io';

function stateLocation(backend: StateBackendConfig, stack: string): string {
  return backend.kind === 'local' ? `${backend.dir}/${stack}.tfstate` : `s3://${backend.bucket}/${backend.keyPrefix}/${stack}/terraform.tfstate (${backend.region})`;
}

/** Everything about one MongoDB tenant, as `show --json` prints it. */
export function describeMongoTenant(tenant: MongoTenant, env: NodeJS.ProcessEnv = process.env) {
  const model = mongoAccessModel(tenant);
  const backend = stateBackendFromEnv(env);
  const emails = new Map([...tenant.people.admins, ...tenant.people.developers, ...tenant.people.customers].map((p) => [p.username, p.email]));
  return {
    key: tenant.key,
    company: tenant.company,
    plan: tenant.plan,
    planProfile: { ...PLAN_PROFILES[tenant.plan], mongodb: MONGO_PLAN_PROFILES[tenant.plan] },
    lifecycle: tenant.lifecycle,
    file: tenant.file,
    database: { ...tenant.database, authDatabase: model.authDatabase },
    users: model.users.map((user) => ({
      name: user.name,
      purpose: user.purpose,
      ...(user.kind && { kind: user.kind, username: user.username, email: emails.get(user.username as string) }),
      roles: user.roles,
    })),
    roles: MONGO_KIND_ROLES,
    app: { ...tenant.app, endpoint: endpointOf(tenant) },
    tags: tenant.tags,
    stacks: tenantStackNames(tenant).map((name) => ({ name, state: stateLocation(backend, name) })),
  };
}

/** Where the database runs, in a line. */
function placementText(d: ReturnType<typeof describeMongoTenant>): string {
  const database = d.database;
  switch (database.placement) {
    case 'container':
      return `its own ${database.container.image} container on the Docker host, port 127.0.0.1:${database.container.port}`;
    case 'documentdb':
      return `its own DocumentDB cluster: ${database.documentdb.instances} × ${database.documentdb.instanceClass}`;
    case 'atlas':
      return (
        `Atlas ${database.atlas.tier} in ${database.atlas.region}, ${database.atlas.projectId ? `project ${database.atlas.projectId}` : `a new project in organization ${database.atlas.organizationId}`}, ` +
        (database.atlas.privateEndpoint ? `private endpoint from ${database.atlas.privateEndpoint.vpcId}` : `access from ${(database.atlas.ipAccessList ?? []).join(', ')}`)
      );
  }
}

/** The text `show` prints for a MongoDB tenant. */
export function mongoTenantText(d: ReturnType<typeof describeMongoTenant>, colour: Colours): string {
  const heading = (title: string) => colour.bold(title);
  const roles = (user: (typeof d.users)[number]) => user.roles.map((role) => `${role.role} on ${role.db}`).join(', ');
  const app = d.app;
  return [
    `${heading(d.key)}  ${d.company}  (${d.plan}${d.lifecycle === 'active' ? '' : `, ${colour.yellow(d.lifecycle)}`})  ${colour.dim(d.file)}`,
    '',
    heading('Database (MongoDB)'),
    `  ${d.database.name}: ${placementText(d)}, ${d.lifecycle === 'offboarding' ? colour.yellow('protection lifted (offboarding)') : 'protected'}`,
    '',
    heading(`Users (defined in ${d.database.authDatabase}; roles on ${d.database.name} only)`),
    ...d.users.map((user) =>
      user.purpose === 'person'
        ? `  ${user.name}  ${user.kind} ${user.username} <${user.email}>: ${roles(user)}`
        : user.purpose === 'app'
          ? `  ${user.name}  store app: ${roles(user)}`
          : `  ${user.name}  provisioning runner: ${roles(user)}${d.database.placement === 'atlas' ? '' : ' (a password only while a run lasts)'}`,
    ),
    '',
    heading('App'),
    app.target === 'docker'
      ? `  docker: ${app.image} on ${app.endpoint}${app.frontend ? `, frontend ${app.frontend.image} on http://localhost:${app.frontend.port}` : ''}, limits ${app.limits.memoryMiB} MiB and ${app.limits.cpus} CPU`
      : app.target === 'lambda'
        ? `  lambda (${app.architecture}) in ${app.region}: ${'imageUri' in app.artifact ? app.artifact.imageUri : `s3://${app.artifact.s3Bucket}/${app.artifact.s3Key}`}`
        : `  kubernetes: ${app.image} in namespace of its own, on ${app.endpoint}`,
    '',
    heading('Stacks (deploy in this order)'),
    ...d.stacks.map((s) => `  ${s.name}  state: ${s.state}`),
    '',
  ].join('\n');
}
