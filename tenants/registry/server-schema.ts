/** The shape of a server file's default export; rules across its fields are servers.ts's, across servers and tenants placement.ts's. */
import { z } from 'zod';
import { SUPPORTED_POSTGRES_MAJORS } from '../../model/defaults';
import { AWS_REGION_PATTERN, KEY_PATTERN, awsNameRules } from '../../model/naming';
import { SERVER_KINDS, SERVER_NAME_PATTERN, SSLMODES } from '../../model/servers';
import { rules, serverRules } from './messages';
import { describe, text } from './schema';
import type { ServerDefinition } from './server-types';

const whole = (what: string, min: number, max: number, rule: string) =>
  z
    .int({ error: (iss) => (iss.input === undefined ? rules.missing(what) : rule) })
    .min(min, { error: rule })
    .max(max, { error: rule });

export const serverDefinitionSchema = z.strictObject(
    {
      name: text('name: "<file name>"').regex(SERVER_NAME_PATTERN, { error: serverRules.nameFormat() }),
      host: text('host: "<host name or address>"').regex(/^[A-Za-z0-9.:[\]_-]{1,253}$/, { error: serverRules.invalidHost() }).optional(),
      port: whole('port', 1, 65535, serverRules.invalidPort()).optional(),
      sslmode: z.enum(SSLMODES, { error: serverRules.unknownSslmode(SSLMODES) }).optional(),
      rootCertificate: text('rootCertificate').min(1, { error: serverRules.invalidRootCertificate() }).optional(),
      adminRole: text('adminRole').regex(/^[A-Za-z_][A-Za-z0-9_$]{0,62}$/, { error: serverRules.invalidAdminRole() }).optional(),
      maxConnections: whole('maxConnections: <max_connections of the server>', 10, 262143, serverRules.invalidMaxConnections()),
      reservedConnections: whole('reservedConnections', 0, 1000, serverRules.invalidReservedConnections()).optional(),
      kind: z.enum(SERVER_KINDS, { error: serverRules.unknownKind(SERVER_KINDS) }).optional(),
      region: text('region').regex(AWS_REGION_PATTERN, { error: awsNameRules.invalidRegion() }).optional(),
      labels: z.record(text('a label key'), text('a label value'), { error: describe('labels', 'an object of string keys and values') }).optional(),
      acceptsNewTenants: z.boolean({ error: rules.wrongType('true or false') }).optional(),
      existingTenants: z.array(text('a tenant key').regex(KEY_PATTERN, { error: rules.keyFormat() }), { error: describe('existingTenants', 'a list of tenant keys') }).optional(),
      appHost: text('appHost').regex(/^[A-Za-z0-9.:[\]_-]{1,253}$/, { error: serverRules.invalidHost() }).optional(),
      postgresVersion: z.literal(SUPPORTED_POSTGRES_MAJORS, { error: rules.unsupportedPostgresVersion(SUPPORTED_POSTGRES_MAJORS) }).optional(),
    },
  { error: describe('a server', 'an object passed to defineServer({ ... })') },
) satisfies z.ZodType<ServerDefinition>;
