/**
 * The fleet's database servers: `servers/<name>.ts` files, each checked on
 * its own, defaults resolved. Where tenants go on them is placement.ts.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_SERVER_ADMIN_ROLE, DEFAULT_SSLMODE } from '../../model/defaults';
import { type Problem } from '../../model/problems';
import { DEFAULT_SERVER, SERVER_NAME_PATTERN, type Sslmode, serverPasswordVariable } from '../../model/servers';
import { loadDefaultExports } from './bundle';
import { displayPath, loadFile, tenantFiles } from './files';
import { serverRules } from './messages';
import { serverDefinitionSchema } from './server-schema';
import type { Server, ServerDefinition } from './server-types';
import { shapeProblems } from './validate';

/** The server files that ship with the project. */
export const DEFAULT_SERVERS_DIR = path.resolve(__dirname, '..', '..', 'servers');

/** Where the server files live: `SERVERS_DIR` if set, else `servers/`. A missing directory means the default server only. */
export function serversDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.SERVERS_DIR ? path.resolve(env.SERVERS_DIR) : DEFAULT_SERVERS_DIR;
}

/** The fields that say how to reach a server: the default server's come from the deploying environment. */
const CONNECTION_FIELDS = ['host', 'port', 'sslmode', 'rootCertificate', 'adminRole', 'appHost'] as const;

/** The default server as the environment gives it, when no file describes it: nothing known of its capacity. */
function implicitDefault(): Server {
  return {
    name: DEFAULT_SERVER,
    port: 5432,
    reservedConnections: 0,
    kind: 'self-hosted',
    labels: {},
    acceptsNewTenants: true,
    existingTenants: [],
    passwordVariable: 'PGPASSWORD',
    implicit: true,
    file: '',
  };
}

/** A valid server file's server, defaults resolved. */
export function resolveServer(definition: ServerDefinition, file: string): Server {
  const isDefault = definition.name === DEFAULT_SERVER;
  return {
    name: definition.name,
    ...(!isDefault && {
      host: definition.host,
      sslmode: definition.sslmode ?? (DEFAULT_SSLMODE as Sslmode),
      adminRole: definition.adminRole ?? DEFAULT_SERVER_ADMIN_ROLE,
    }),
    port: definition.port ?? 5432,
    ...(definition.rootCertificate !== undefined && { rootCertificate: definition.rootCertificate }),
    maxConnections: definition.maxConnections,
    reservedConnections: definition.reservedConnections ?? 3,
    kind: definition.kind ?? 'self-hosted',
    ...(definition.region !== undefined && { region: definition.region }),
    labels: definition.labels ?? {},
    acceptsNewTenants: definition.acceptsNewTenants ?? true,
    existingTenants: definition.existingTenants ?? [],
    ...(definition.appHost !== undefined && { appHost: definition.appHost }),
    ...(definition.postgresVersion !== undefined && { postgresVersion: definition.postgresVersion }),
    passwordVariable: isDefault ? 'PGPASSWORD' : serverPasswordVariable(definition.name),
    implicit: false,
    file,
  };
}

/** One server file's problems, or its server. */
export function checkServerDefinition(file: string, fileName: string, raw: unknown, root: string): { server?: Server; problems: Problem[] } {
  const parsed = serverDefinitionSchema.safeParse(raw);
  const problems = parsed.success ? [] : shapeProblems(file, raw, parsed.error.issues, serverDefinitionSchema);
  const definition = raw as Partial<ServerDefinition> | undefined;
  const name = typeof definition === 'object' && definition !== null ? definition.name : undefined;
  if (typeof name === 'string' && SERVER_NAME_PATTERN.test(name) && name !== fileName) {
    problems.push({ file, field: 'name', value: name, rule: serverRules.nameMismatchesFile(fileName) });
  }
  if (typeof definition === 'object' && definition !== null) {
    if (fileName === DEFAULT_SERVER) {
      for (const field of CONNECTION_FIELDS) {
        if (definition[field] !== undefined) problems.push({ file, field, value: definition[field], rule: serverRules.defaultConnectionField() });
      }
    } else if (definition.host === undefined && !problems.some((p) => p.field === 'host')) {
      problems.push({ file, field: 'host', value: undefined, rule: serverRules.missingHost() });
    }
    // Across fields, from every field that is sound on its own, so one run reports these with the rest.
    const sound = (field: string) => !problems.some((p) => p.field === field);
    const { sslmode, maxConnections, reservedConnections } = definition;
    if ((sslmode === 'verify-ca' || sslmode === 'verify-full') && definition.rootCertificate === undefined) {
      problems.push({ file, field: 'rootCertificate', value: undefined, rule: serverRules.verifyNeedsCertificate(sslmode) });
    }
    if (sound('maxConnections') && sound('reservedConnections') && typeof maxConnections === 'number' && typeof reservedConnections === 'number' && reservedConnections >= maxConnections) {
      problems.push({ file, field: 'reservedConnections', value: reservedConnections, rule: serverRules.reservedTooMany(maxConnections) });
    }
    const certificate = definition.rootCertificate;
    if (typeof certificate === 'string' && certificate && !problems.some((p) => p.field === 'rootCertificate') && !existsSync(path.resolve(root, certificate))) {
      problems.push({ file, field: 'rootCertificate', value: certificate, rule: serverRules.missingRootCertificate() });
    }
  }
  return problems.length || !parsed.success ? { problems } : { server: resolveServer(parsed.data, file), problems };
}

/**
 * Loads and checks every server file: the servers (the implicit default one
 * among them when no file describes it) and the problems of all files.
 */
export function checkServers(dir: string = serversDir(), root: string = path.resolve(DEFAULT_SERVERS_DIR, '..')): { servers: Server[]; problems: Problem[] } {
  const servers: Server[] = [];
  const problems: Problem[] = [];
  const files = existsSync(dir) ? tenantFiles(dir) : [];
  const named = files.filter((file) => SERVER_NAME_PATTERN.test(path.basename(file, '.ts')));
  const bundled = loadDefaultExports(named);
  for (const file of files) {
    const fileName = path.basename(file, '.ts');
    const shown = displayPath(file);
    if (!SERVER_NAME_PATTERN.test(fileName)) {
      problems.push({ file: shown, field: '', value: undefined, rule: serverRules.badFileName() });
      continue;
    }
    const loaded = bundled && bundled.get(file) !== undefined ? { raw: bundled.get(file) } : loadFile(file, serverRules.noDefaultExport());
    if ('problems' in loaded && loaded.problems) {
      problems.push(...loaded.problems);
      continue;
    }
    const check = checkServerDefinition(shown, fileName, loaded.raw, root);
    problems.push(...check.problems);
    if (check.server) servers.push(check.server);
  }
  if (!files.some((file) => path.basename(file, '.ts') === DEFAULT_SERVER)) servers.unshift(implicitDefault());
  return { servers, problems };
}
