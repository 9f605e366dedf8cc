import type { Command } from 'commander';
import { kmsAliasName } from '../../model/naming';
import { type BackupResult, backupTenant, pruneBackups, verifyBackup } from '../../ops/backup';
import { backupStore, dumpLocation } from '../../ops/backup-store';
import { ServerOutages, mapBoundedByGroup } from '../../ops/fleet';
import { connectionOfServer, connectionOfTenant, serverLabel } from '../../ops/server-connections';
import type { Tenant } from '../../tenants/registry';
import { connectionFrom, withUrlOption, withFleetOptions } from '../connection-options';
import { CommandFailed, UsageError } from '../errors';
import { skippedLines } from '../fleet-output';
import { selectFleet } from '../fleet-selection';
import type { CliIo } from '../io';
import { bytes, duration, table } from '../output';
import { postgresTenantByKey, registry } from '../registry';

/** Where backups go unless --to says: TENANTS_BACKUPS, else `backups/` (git ignores it). */
export function defaultBackups(env: NodeJS.ProcessEnv): string {
  return env.TENANTS_BACKUPS || 'backups';
}

interface BackupOptions {
  readonly all?: boolean;
  readonly url?: string;
  readonly server?: string;
  readonly to?: string;
  readonly verify?: boolean;
  readonly keep?: number;
  readonly concurrency: number;
  readonly perServer: number;
  readonly json?: boolean;
}

/** One tenant's outcome. */
interface Outcome {
  readonly server: string;
  readonly key: string;
  readonly result?: BackupResult;
  readonly verified?: boolean;
  readonly pruned?: readonly string[];
  readonly error?: string;
}

const keepCount = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--keep "${value}" must be a whole number of backups to keep, at least 1`);
  return n;
};

/** S3 objects of a lambda tenant are encrypted with its own KMS key; others with the bucket's KMS default. */
function kmsKeyOf(tenant: Tenant, destination: string): string | undefined {
  return destination.startsWith('s3://') && tenant.app.target === 'lambda' ? kmsAliasName(tenant.key) : undefined;
}

/** `tenants backup [<key>…] [--all]`: a verified-able dump per tenant, with its manifest. */
async function backupFleet(keys: string[], options: BackupOptions, io: CliIo): Promise<void> {
  const reg = registry(io.env);
  const fleet = selectFleet(reg, keys, options.all, options, io);
  for (const line of skippedLines(fleet)) io.stderr.write(`${line.replace('which its deploy migrates', 'backed up by RDS automatically')}\n`);
  const destination = options.to ?? defaultBackups(io.env);
  const store = backupStore(destination, io.env);
  const outages = new ServerOutages();
  const outcomes = await mapBoundedByGroup(fleet.tenants, { overall: options.concurrency, perGroup: options.perServer, groupOf: fleet.serverOf }, async (tenant): Promise<Outcome> => {
    const server = fleet.serverOf(tenant);
    const connection = fleet.connectionOf(tenant);
    return outages.run(
      server,
      async (): Promise<Outcome> => {
        try {
          const result = await backupTenant(tenant, connection, store, { server, env: io.env, put: { kmsKeyId: kmsKeyOf(tenant, destination) } });
          io.stderr.write(`backed up ${tenant.key}: ${result.location} (${bytes(result.manifest.bytes)}, ${duration(result.durationMs)})\n`);
          let verified: boolean | undefined;
          if (options.verify) {
            const check = await verifyBackup((key) => postgresTenantByKey(reg, key), store, `${tenant.key}/${result.manifest.file}`, connection, server, io.env);
            verified = !check.differences.length;
            if (!verified) return { server, key: tenant.key, result, verified, error: `the backup does not restore as taken: ${check.differences.join('; ')}` };
          }
          const pruned = options.keep ? await pruneBackups(store, tenant.key, options.keep) : undefined;
          return { server, key: tenant.key, result, ...(verified !== undefined && { verified }), ...(pruned && { pruned }) };
        } catch (error) {
          return { server, key: tenant.key, error: error instanceof Error ? error.message : String(error) };
        }
      },
      (error): Outcome => ({ server, key: tenant.key, error }),
      (outcome) => outcome.error,
    );
  });
  if (options.json) {
    io.stdout.write(`${JSON.stringify(outcomes.map((o) => ({ server: o.server, key: o.key, location: o.result?.location, manifest: o.result?.manifest, verified: o.verified, pruned: o.pruned, error: o.error })), null, 2)}\n`);
  } else {
    const c = io.colour;
    io.stdout.write(
      `${table(
        ['server', 'tenant', 'version', 'size', 'tables', 'rows', 'verified', 'result'],
        outcomes.map((o) => {
          const m = o.result?.manifest;
          return [
            o.server,
            o.key,
            m?.schemaVersion ?? '-',
            m ? bytes(m.bytes) : '-',
            m ? Object.keys(m.tables).length : '-',
            m ? Object.values(m.tables).reduce((a, b) => a + b, 0) : '-',
            o.verified === undefined ? '-' : o.verified ? c.green('yes') : c.red('no'),
            o.error ? c.red('failed') : c.green(o.result!.location),
          ];
        }),
        c,
      )}\n`,
    );
    const errors = outcomes.filter((o) => o.error).map((o) => `${c.red(o.key)}: ${o.error}`);
    if (errors.length) io.stdout.write(`\n${errors.join('\n')}\n`);
    const excluded = outcomes.filter((o) => o.result?.manifest.excluded.length);
    for (const o of excluded) io.stderr.write(`${io.errorColour.yellow(`warning: ${o.key}: left out (not the owner's, so the dump cannot read them): ${o.result!.manifest.excluded.join('; ')}`)}\n`);
  }
  io.stderr.write(`${io.errorColour.dim('Dumps hold customer data: keep them where only the platform team can read them.')}\n`);
  const failed = outcomes.filter((o) => o.error);
  if (failed.length) throw new CommandFailed(`${failed.length} of ${outcomes.length} backups failed: ${failed.map((o) => o.key).join(', ')}`);
}

/** `tenants backup verify <dump>`: restores into a scratch database, compares, drops it. */
async function verify(dump: string, options: { server?: string; url?: string; json?: boolean }, io: CliIo): Promise<void> {
  const reg = registry(io.env);
  const { store, name } = dumpLocation(dump, io.env);
  const environment = connectionFrom(options, io);
  // Scratch databases go on the tenant's own server (its roles are there), or on --server.
  const key = name.split('/')[0];
  const tenant = postgresTenantByKey(reg, key);
  const serverName = options.server ?? serverLabel(tenant);
  const server = reg.servers.find((s) => s.name === serverName);
  if (options.server !== undefined && !server) throw new UsageError(`--server "${options.server}" is not a server of the fleet; known servers: ${reg.servers.map((s) => s.name).join(', ')}`);
  const connection = options.server !== undefined ? connectionOfServer(server, environment) : connectionOfTenant(tenant, reg.servers, environment);
  const check = await verifyBackup((k) => postgresTenantByKey(reg, k), store, name, connection, serverName, io.env).catch((error: unknown) => {
    throw new CommandFailed(`${store.where(name)} does not verify: ${error instanceof Error ? error.message : String(error)}`);
  });
  if (options.json) io.stdout.write(`${JSON.stringify({ dump: store.where(name), verified: !check.differences.length, schemaVersion: check.schemaVersion, tables: check.tables, differences: check.differences }, null, 2)}\n`);
  if (check.differences.length) throw new CommandFailed(`${store.where(name)} does not restore as it was taken: ${check.differences.join('; ')}`);
  if (!options.json) {
    const rows = Object.values(check.tables).reduce((a, b) => a + b, 0);
    io.stdout.write(`${io.colour.green(`verified ${store.where(name)}`)}: ${Object.keys(check.tables).length} tables, ${rows} rows, schema version ${check.schemaVersion}, as in its manifest; restored on ${serverName} into a scratch database, now dropped.\n`);
  }
}

/** `tenants backup` and `tenants backup verify`. */
export function registerBackup(program: Command, io: CliIo): void {
  const backup = withFleetOptions(
    withUrlOption(
      program
        .command('backup')
        .description("dump tenant databases (pg_dump as the tenant's migrator), each with a manifest: tables, row counts, schema version, checksum")
        .argument('[keys...]', 'tenant keys')
        .option('--all', 'every tenant the CLI reaches (lambda tenants: RDS backs them up)')
        .option('--to <dir|s3://bucket/prefix>', 'where the backups go (default: TENANTS_BACKUPS, else backups/)')
        .option('--verify', 'verify each backup right after taking it (restore into a scratch database and compare)')
        .option('--keep <n>', 'then remove all but the newest n backups of each tenant', keepCount)
        .option('--json', 'machine-readable results'),
    ),
    { overall: 2, perServer: 1, what: 'databases dumped' },
  )
    .addHelpText(
      'after',
      '\nNames: <to>/<key>/<UTC timestamp>-<schema version>.dump and .json beside it. In S3, objects are encrypted with SSE-KMS (a lambda tenant\'s own key).\n' +
        'Passwords come from the environment or ~/.pgpass, never a command line; the dump runs with a one-off password of the tenant\'s migrator.\n' +
        'Examples:\n  npx tenants backup building_shop\n  npx tenants backup --all --verify --keep 14 --to s3://acme-backups/tenants\n  npx tenants backup verify backups/building_shop/20261130T061500Z-5.dump',
    )
    .action((keys: string[], options: BackupOptions) => backupFleet(keys, options, io));
  withUrlOption(
    backup
      .command('verify')
      .description('restore a backup into a scratch database, compare it with its manifest (tables, rows, schema version), drop it; exit 0 or 1')
      .argument('<dump>', 'a .dump of tenants backup: a path or an s3:// URL, its .json beside it')
      .option('--server <name>', 'restore on this server instead of the tenant\'s own (its roles are created there and dropped afterwards)')
      .option('--json', 'machine-readable result'),
  ).action((dump: string, options: { server?: string; url?: string; json?: boolean }) => verify(dump, options, io));
}
