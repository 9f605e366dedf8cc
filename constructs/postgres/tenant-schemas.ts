import { Schema } from '@cdktf/provider-postgresql/lib/schema';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import type { SchemaSpec } from '../../model/access-model';
import type { TenantRoles } from './tenant-roles';

/** Props of {@link TenantSchemas}. */
export interface TenantSchemasProps {
  /** The schemas of the access model. */
  readonly schemas: readonly SchemaSpec[];
  /** The tenant's database name, as a reference so the schemas wait for the database. */
  readonly database: string;
  /** The tenant's roles, for the owner's name as a reference. */
  readonly roles: TenantRoles;
  /** What must run before the schemas are made (the preparation of the database). */
  readonly dependsOn: readonly ITerraformDependable[];
}

/**
 * The schemas the platform makes in a tenant's database, besides `public`:
 * the migration history's, so that no tenant role can make it first (a view
 * in its place would run their code in the runner's session), and the
 * admins' workspace. Both belong to the owner role.
 *
 * `CREATE SCHEMA IF NOT EXISTS` (the provider's default) keeps deploys of
 * tenants created before these schemas were working; the migration runner
 * refuses a history schema or table that the owner does not own.
 */
export class TenantSchemas extends Construct {
  /** The schema resources, in the model's order. */
  readonly schemas: readonly Schema[];

  constructor(scope: Construct, id: string, props: TenantSchemasProps) {
    super(scope, id);
    this.schemas = props.schemas.map(
      (spec) =>
        new Schema(this, spec.purpose === 'history' ? 'History' : 'Workspace', {
          name: spec.name,
          database: props.database,
          owner: props.roles.role(spec.owner).name,
          dropCascade: false,
          dependsOn: [...props.dependsOn],
        }),
    );
  }
}
