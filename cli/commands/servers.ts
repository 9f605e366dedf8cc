import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Command } from 'commander';
import { connectionDemand } from '../../model/servers';
import { formatProblem } from '../../model/problems';
import { mapBounded } from '../../ops/fleet';
import { connectionOfServer } from '../../ops/server-connections';
import { type ServerStats, serverStats } from '../../ops/server-stats';
import { type Registry, type Server, checkRegistry, loadTenantFileEditor, serverLoads, serverOf, serversDir } from '../../tenants/registry';
import { connectionFrom, withUrlOption } from '../connection-options';
import { CommandFailed, UsageError } from '../errors';
import type { CliIo } from '../io';
import { bytes, changedLines, table } from '../output';
import { registry } from '../registry';

/** What `servers` learned from a server, or why it could not. */
type Live = { readonly stats: ServerStats } | { readonly error: string } | { readonly skipped: true };

/** The report of one server: from the registry, and live when reachable. */
function serverEntry(load: ReturnType<typeof serverLoads>[number], live: Live) {
  const { server, tenants, demand, capacity } = load;
  const stats = 'stats' in live ? live.stats : undefined;
  return {
    name: server.name,
    kind: server.kind,
    address: server.host ? `${server.host}:${server.port}` : 'the environment (PGHOST, --url)',
    ...(server.region && { region: server.region }),
    labels: server.labels,
    acceptsNewTenants: server.acceptsNewTenants,
    file: server.file || null,
    budget: { demand, ...(capacity !== undefined && { capacity, free: capacity - demand }) },
    tenants: tenants.map((t) => {
      const db = stats?.databases.get(t.database.name);
      return { key: t.key, database: t.database.name, plan: t.plan, demand: connectionDemand(t), ...(stats && { live: db ? { sizeBytes: db.sizeBytes, connections: db.connections } : null }) };
    }),
    live: stats
      ? {
          version: stats.version,
          maxConnections: stats.maxConnections,
          reservedConnections: stats.reservedConnections,
          connections: stats.connections,
          sizeBytes: [...stats.databases.values()].reduce((sum, d) => sum + d.sizeBytes, 0),
        }
      : 'error' in live
        ? { error: live.error }
        : null,
  };
}

type Entry = ReturnType<typeof serverEntry>;

/** Where a server's file disagrees with the server itself. */
function mismatches(entry: Entry, server: Server): string[] {
  const live = entry.live;
  if (!live || 'error' in live) return [];
  const found: string[] = [];
  if (server.maxConnections !== undefined && live.maxConnections < server.maxConnections) {
    found.push(`${entry.name}: the file says maxConnections ${server.maxConnections}, the server has max_connections ${live.maxConnections}; correct ${server.file}`);
  }
  if (server.postgresVersion !== undefined && !live.version.startsWith(`${server.postgresVersion}.`) && live.version !== String(server.postgresVersion)) {
    found.push(`${entry.name}: the file says PostgreSQL ${server.postgresVersion}, the server runs ${live.version}; correct ${server.file}`);
  }
  for (const t of entry.tenants) if ('live' in t && t.live === null) found.push(`${entry.name}: ${t.key}'s database "${t.database}" is not there (not deployed yet, or moved)`);
  return found;
}

function render(entries: readonly Entry[], io: CliIo): string {
  const c = io.colour;
  const servers = table(
    ['server', 'kind', 'address', 'new tenants', 'tenants', 'budget used', 'free', 'live connections', 'size'],
    entries.map((e) => [
      e.name,
      e.kind,
      e.address,
      e.acceptsNewTenants ? 'open' : c.yellow('closed'),
      e.tenants.length,
      e.budget.capacity === undefined ? `${e.budget.demand} of ?` : `${e.budget.demand} of ${e.budget.capacity}`,
      e.budget.free === undefined ? '?' : e.budget.free < 0 ? c.red(String(e.budget.free)) : e.budget.free,
      !e.live ? '-' : 'error' in e.live ? c.red('unreachable') : `${e.live.connections} of ${e.live.maxConnections}`,
      !e.live || 'error' in e.live ? '-' : bytes(e.live.sizeBytes),
    ]),
    c,
  );
  const tenants = table(
    ['server', 'tenant', 'database', 'plan', 'budget', 'connections', 'size'],
    entries.flatMap((e) =>
      e.tenants.map((t) => [
        e.name,
        t.key,
        t.database,
        t.plan,
        t.demand,
        !('live' in t) || t.live === undefined ? '-' : t.live === null ? c.yellow('no database') : t.live.connections,
        !('live' in t) || !t.live ? '-' : bytes(t.live.sizeBytes),
      ]),
    ),
    c,
  );
  const errors = entries.flatMap((e) => (e.live && 'error' in e.live ? [`${c.red(e.name)}: ${e.live.error}`] : []));
  return [servers, '', tenants, ...(errors.length ? ['', ...errors] : []), ''].join('\n');
}

/** `tenants servers`: each server with its tenants, its connection budget, and what it says live. */
async function listServers(reg: Registry, options: { url?: string; offline?: boolean; json?: boolean }, io: CliIo): Promise<void> {
  const environment = connectionFrom(options, io);
  const loads = serverLoads(reg.servers, reg.tenants);
  const lives = await mapBounded(loads, 4, async (load): Promise<Live> => {
    if (options.offline || !load.tenants.length) return { skipped: true };
    try {
      return { stats: await serverStats(connectionOfServer(load.server, environment), load.tenants.map((t) => t.database.name), io.env) };
    } catch (error) {
      return { error: error instanceof Error ? error.message : String(error) };
    }
  });
  const entries = loads.map((load, i) => serverEntry(load, lives[i]));
  const lambda = reg.tenants.filter((t) => serverOf(t) === undefined).map((t) => t.key);
  const warnings = entries.flatMap((e, i) => mismatches(e, loads[i].server));
  if (options.json) io.stdout.write(`${JSON.stringify({ servers: entries, ownInstances: lambda, warnings }, null, 2)}\n`);
  else {
    io.stdout.write(render(entries, io));
    if (lambda.length) io.stdout.write(`${io.colour.dim(`On their own RDS instances (lambda): ${lambda.join(', ')}`)}\n`);
  }
  for (const warning of warnings) io.stderr.write(`${io.errorColour.yellow(`warning: ${warning}`)}\n`);
  const unreachable = entries.filter((e) => e.live && 'error' in e.live);
  if (unreachable.length) throw new CommandFailed(`${unreachable.length} of ${entries.length} servers unreachable: ${unreachable.map((e) => e.name).join(', ')}`);
}

/**
 * `tenants servers close|open <name>`: writes whether the server takes new
 * tenants into its file; closing lists the tenants it keeps.
 */
async function setOpen(name: string, open: boolean, options: { dryRun?: boolean }, io: CliIo): Promise<void> {
  const reg = registry(io.env);
  const server = reg.servers.find((s) => s.name === name);
  if (!server) throw new UsageError(`no server "${name}"; known servers: ${reg.servers.map((s) => s.name).join(', ')}`);
  if (server.implicit) throw new UsageError(`server "${name}" has no file to write to; create servers/${name}.ts with defineServer({ name: '${name}', maxConnections: ... }) first`);
  const file = path.resolve(server.file);
  const keep = reg.tenants.filter((t) => serverOf(t) === name).map((t) => t.key);
  const { setDefinitionField } = await loadTenantFileEditor();
  const original = readFileSync(file, 'utf8');
  let edited = setDefinitionField(original, 'defineServer', ['acceptsNewTenants'], open, file);
  edited = setDefinitionField(edited, 'defineServer', ['existingTenants'], open ? [] : keep, file);
  if (options.dryRun) {
    io.stdout.write(`${io.colour.bold(`--dry-run: would change ${server.file} (nothing was written):`)}\n${changedLines(original, edited)}`);
    return;
  }
  writeFileSync(file, edited);
  const { problems } = checkRegistry(reg.dir, serversDir(io.env));
  if (problems.length) {
    writeFileSync(file, original);
    throw new CommandFailed(`the edited registry has problems, so ${server.file} was restored:\n${problems.map((p) => `  - ${formatProblem(p)}`).join('\n')}`);
  }
  io.stdout.write(
    open
      ? `${server.file}: ${name} takes new tenants again.\n`
      : `${server.file}: ${name} takes no new tenants; it keeps ${keep.length ? keep.join(', ') : 'none'}.\n`,
  );
}

/** `tenants servers`, `tenants servers close <name>`, `tenants servers open <name>`. */
export function registerServers(program: Command, io: CliIo): void {
  const servers = withUrlOption(
    program
      .command('servers')
      .description('each database server with its tenants, the connection budget used and free, and live sizes and connections')
      .option('--offline', 'only what the registry says; connect to no server')
      .option('--json', 'machine-readable output'),
  )
    .addHelpText(
      'after',
      '\nThe budget: what the tenants of a server can hold (their logins\' connection limits, at most their database\'s) against maxConnections less reservedConnections.\n' +
        'Each server is reached as its admin: servers/<name>.ts with PGPASSWORD_<NAME> or ~/.pgpass; the default server through PGHOST or --url.\n' +
        'Examples:\n  npx tenants servers\n  npx tenants servers --offline --json\n  npx tenants servers close eu-shared-2',
    )
    .action((options: { url?: string; offline?: boolean; json?: boolean }) => listServers(registry(io.env), options, io));
  servers
    .command('close')
    .description('take no new tenants on a server: writes acceptsNewTenants: false and the tenants it keeps into its file')
    .argument('<name>', 'server name')
    .option('--dry-run', 'show the change; write nothing')
    .action((name: string, options: { dryRun?: boolean }) => setOpen(name, false, options, io));
  servers
    .command('open')
    .description('take new tenants on a server again')
    .argument('<name>', 'server name')
    .option('--dry-run', 'show the change; write nothing')
    .action((name: string, options: { dryRun?: boolean }) => setOpen(name, true, options, io));
}
