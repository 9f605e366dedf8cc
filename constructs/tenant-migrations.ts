import { DataResource, type ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';

/** Props of {@link TenantMigrations}. */
export interface TenantMigrationsProps {
  /** Tenant key, passed to `tenants migrate`. */
  readonly tenantKey: string;
  /** Database name; a change re-runs the migrations against the renamed database. */
  readonly database: string;
  /** Checksum of every migration file; a new or changed file re-runs the runner. */
  readonly migrationsChecksum: string;
  /** Path from the stack's working directory (`cdktf.out/stacks/<key>`) to the project root. */
  readonly projectDir: string;
  /** Roles, grants and default privileges that must exist before the first migration. */
  readonly dependsOn: readonly ITerraformDependable[];
  /**
   * Extra environment for the runner, for values known only at deploy time
   * (for example `PGHOST` from another stack). Never secrets: those come from
   * the deploying shell's environment.
   * @default {}
   */
  readonly environment?: Readonly<Record<string, string>>;
}

/**
 * Applies the schema migrations on deploy with the project's own runner
 * (`npm run tenants -- migrate <key>`), after the roles and default
 * privileges exist, so every object is owned by the tenant and granted.
 *
 * The runner connects with the libpq environment of the deploying shell
 * (`PGHOST`, `PGUSER`, `PGPASSWORD`, `PGSSLMODE`) as the server admin, but
 * only for catalog statements (the migrator's one-off password, adoption);
 * the migrations themselves run in the tenant migrator's session
 * (ops/tenant-sessions.ts). Nothing secret is written into the synthesized
 * JSON. It is re-triggered by a checksum of the files.
 */
export class TenantMigrations extends Construct {
  readonly runner: DataResource;

  constructor(scope: Construct, id: string, props: TenantMigrationsProps) {
    super(scope, id);
    this.runner = new DataResource(this, 'Runner', {
      triggersReplace: { database: props.database, migrations: props.migrationsChecksum },
      dependsOn: [...props.dependsOn],
      provisioners: [
        {
          type: 'local-exec',
          command: `npm run --silent tenants -- migrate ${props.tenantKey}`,
          workingDir: props.projectDir,
          ...(props.environment && { environment: { ...props.environment } }),
        },
      ],
    });
  }
}
