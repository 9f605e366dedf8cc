import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Command } from 'commander';
import { DEFAULT_SERVER } from '../../model/servers';
import { formatProblem } from '../../model/problems';
import { moveSteps, moveTenant, releaseSourceSql } from '../../ops/move';
import { connectionOfServer } from '../../ops/server-connections';
import { type Tenant, checkNewPlacement, checkRegistry, loadTenantFileEditor, serversDir } from '../../tenants/registry';
import { connectionFrom, withUrlOption } from '../connection-options';
import { CommandFailed, UsageError } from '../errors';
import type { CliIo } from '../io';
import { duration, table } from '../output';
import { postgresTenantByKey, registry } from '../registry';

interface MoveOptions {
  readonly to?: string;
  readonly execute?: boolean;
  readonly releaseSql?: boolean;
  readonly url?: string;
}

/** What comes after a move: the deploy on the new server, then, when sure, the old copy released. */
function nextSteps(tenant: Tenant, from: string, to: string): string[] {
  return [
    `  bash scripts/cdktf.sh deploy ${tenant.key}   # its stack now reaches ${to}: new passwords written there, the app pointed at it`,
    `  npx tenants move ${tenant.key} --release-sql | psql ...   # on ${from}, as its admin, once the old copy is no longer needed`,
  ];
}

/** Sets the tenant's server in its file; restores the file if the registry then has problems. */
async function placeInFile(tenant: Tenant, to: string, dir: string, io: CliIo): Promise<void> {
  const { setDefinitionField } = await loadTenantFileEditor();
  const file = path.resolve(tenant.file);
  const original = readFileSync(file, 'utf8');
  let edited: string;
  try {
    edited = setDefinitionField(original, 'defineTenant', ['database', 'server'], to, file);
  } catch (error) {
    throw new CommandFailed(`the database is on ${to} now, but ${tenant.file} could not be edited (${error instanceof Error ? error.message : String(error)}): set database.server to '${to}' in it by hand`);
  }
  writeFileSync(file, edited);
  const { problems } = checkRegistry(dir, serversDir(io.env));
  if (problems.length) {
    writeFileSync(file, original);
    throw new CommandFailed(
      `the database is on ${to} now, but the edited registry has problems, so ${tenant.file} was restored; set database.server to '${to}' by hand once they are fixed:\n` +
        problems.map((p) => `  - ${formatProblem(p)}`).join('\n'),
    );
  }
}

/** `tenants move <key> --to <server>`: prints, and with --execute runs, a safe move of a tenant's database. */
export function registerMove(program: Command, io: CliIo): void {
  withUrlOption(
    program
      .command('move')
      .description("move a tenant's database to another server: print the steps, run them with --execute (the old copy is kept)")
      .argument('<key>', 'tenant key')
      .option('--to <server>', 'the server to move to (servers/<name>.ts, or "default")')
      .option('--execute', 'run the steps (default: only print them)')
      .option('--release-sql', 'print the SQL that drops the old copy, to run on the old server once the tenant runs on its new one'),
  )
    .addHelpText(
      'after',
      '\nExamples:\n  npx tenants move bookstore_2025 --to eu-shared-3\n  npx tenants move bookstore_2025 --to eu-shared-3 --execute\n' +
        '\nNeeds psql, pg_dump and pg_restore as new as both servers. The tenant is offline from the move until its next deploy.',
    )
    .action(async (key: string, options: MoveOptions) => {
      const reg = registry(io.env);
      const tenant = postgresTenantByKey(reg, key);
      if (options.releaseSql) {
        io.stdout.write(releaseSourceSql(tenant));
        return;
      }
      if (tenant.database.server === undefined) {
        throw new UsageError(`${key} is a lambda tenant on its own RDS instance: move it with an RDS snapshot, not between shared servers`);
      }
      const from = tenant.database.server;
      if (!options.to) throw new UsageError(`name the server to move to: --to <server> (servers: ${reg.servers.map((s) => s.name).join(', ')})`);
      const to = options.to;
      const target = reg.servers.find((s) => s.name === to);
      if (!target) throw new UsageError(`--to "${to}" is not a server of the fleet; known servers: ${reg.servers.map((s) => s.name).join(', ')}`);
      if (to === from) throw new UsageError(`${key} is on ${from} already`);
      const others = reg.tenants.filter((t) => t.key !== key);
      const placed = { ...tenant, database: { ...tenant.database, server: to } };
      const problems = checkNewPlacement(reg.servers, others, placed);
      if (problems.length) throw new CommandFailed(`${key} cannot move to ${to}; nothing was changed:\n${problems.map((p) => `  - ${formatProblem(p)}`).join('\n')}`);

      const steps = [...moveSteps(tenant, from, to), `write database.server: '${to}' into ${tenant.file}`];
      io.stdout.write(`${io.colour.bold(`Move ${key} (database "${tenant.database.name}") from ${from} to ${to}:`)}\n${steps.map((s, i) => `  ${i + 1}. ${s}`).join('\n')}\n`);
      if (!options.execute) {
        io.stdout.write(`Then:\n${nextSteps(tenant, from, to).join('\n')}\n(nothing was done: add --execute to run the steps)\n`);
        return;
      }
      const environment = connectionFrom(options, io);
      const server = (name: string) => reg.servers.find((s) => s.name === name);
      const result = await moveTenant(
        tenant,
        { name: from, connection: connectionOfServer(server(from), environment) },
        { name: to, connection: connectionOfServer(server(to), environment) },
        { env: io.env, onStep: (step) => io.stderr.write(`${io.errorColour.dim(`… ${step}`)}\n`) },
      );
      await placeInFile(tenant, to, reg.dir, io);
      io.stdout.write(
        `${table(['table', from, to], result.tables.map((t) => [t.table, t.source, t.target]), io.colour)}\n` +
          `${io.colour.green(`Moved ${key} to ${to} in ${duration(result.durationMs)}: every row is there; ${tenant.file} says so.`)}\n` +
          `Its logins on ${from} stay closed (${result.closedLogins.join(', ') || 'none'}); the old copy is kept${from === DEFAULT_SERVER ? ' on the default server' : ''}.\nNext:\n${nextSteps(tenant, from, to).join('\n')}\n`,
      );
    });
}
