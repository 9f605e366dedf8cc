import type { Command } from 'commander';
import { kubernetesNamespace } from '../../model/naming';
import type { Tenant } from '../../tenants/registry';
import type { CliIo } from '../io';
import { endpointOf } from '../endpoint';
import { table } from '../output';
import { registry } from '../registry';

/** What tells a tenant's app apart: host ports (docker), region (lambda), namespace (kubernetes). */
function targetFields(tenant: Tenant) {
  const { app } = tenant;
  if (app.target === 'docker') return { port: app.port, ...(app.frontend && { frontendPort: app.frontend.port }) };
  if (app.target === 'kubernetes') return { namespace: kubernetesNamespace(tenant.key) };
  return { region: app.region };
}

/** One tenant as `list --json` prints it. */
export function listEntry(tenant: Tenant) {
  return {
    key: tenant.key,
    company: tenant.company,
    database: tenant.database.name,
    engine: tenant.database.engine ?? 'postgresql',
    ...(tenant.database.engine === 'mongodb' && { placement: tenant.database.placement }),
    plan: tenant.plan,
    target: tenant.app.target,
    ...targetFields(tenant),
    endpoint: endpointOf(tenant),
    people: { admins: tenant.people.admins.length, developers: tenant.people.developers.length, customers: tenant.people.customers.length },
    lifecycle: tenant.lifecycle,
  };
}

/** `tenants list`: every tenant, one line each. */
export function registerList(program: Command, io: CliIo): void {
  program
    .command('list')
    .description('list every tenant: key, company, database (and engine, if not PostgreSQL), plan, target, endpoint, people by kind')
    .option('--json', 'machine-readable output')
    .addHelpText('after', "\nA tenant's deployed outputs (role names, app URL): bash scripts/cdktf.sh output <key>")
    .action((options: { json?: boolean }) => {
      const entries = registry(io.env).tenants.map(listEntry);
      if (options.json) {
        io.stdout.write(`${JSON.stringify(entries, null, 2)}\n`);
        return;
      }
      const rows = entries.map((e) => [
        e.key,
        e.company,
        // PostgreSQL is the default engine: only another engine is named.
        'placement' in e ? `${e.database} (${e.engine}, ${e.placement})` : e.database,
        e.plan,
        e.target,
        e.endpoint,
        `${e.people.admins}/${e.people.developers}/${e.people.customers}`,
        e.lifecycle === 'active' ? '' : e.lifecycle,
      ]);
      io.stdout.write(`${table(['key', 'company', 'database', 'plan', 'target', 'endpoint', 'adm/dev/cust', 'lifecycle'], rows, io.colour)}\n`);
      io.stdout.write(`${entries.length} tenant${entries.length === 1 ? '' : 's'}\n`);
    });
}
