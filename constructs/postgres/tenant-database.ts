import { Database } from '@cdktf/provider-postgresql/lib/database';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import type { DatabaseSpec } from '../../model/access-model';

/** Props of {@link TenantDatabase}. */
export interface TenantDatabaseProps {
  /** Name, owner, encoding, collation and connection limit, from the access model. */
  readonly spec: DatabaseSpec;
  /** The owner role's name, as a reference so Terraform creates the role first. */
  readonly ownerRole: string;
  /** Resources that must exist before the database: the admin's membership in the owner role. */
  readonly dependsOn: readonly ITerraformDependable[];
  /**
   * Protect the database from `terraform destroy` and from replacement.
   * Only an offboarding tenant lifts this.
   * @default true
   */
  readonly protect?: boolean;
}

/**
 * The customer's database, created from template0 and owned by the tenant's
 * owner role so that everything inside belongs to the tenant.
 *
 * Template, encoding and collation force replacement, which drops the
 * database: `prevent_destroy` refuses that plan. A rename is done in place.
 * An existing database (adoption) is imported by name.
 */
export class TenantDatabase extends Construct {
  readonly database: Database;

  constructor(scope: Construct, id: string, props: TenantDatabaseProps) {
    super(scope, id);
    const protect = props.protect ?? true;
    const { spec } = props;
    this.database = new Database(this, 'Database', {
      name: spec.name,
      owner: props.ownerRole,
      template: spec.template,
      encoding: spec.encoding,
      lcCollate: spec.collation,
      lcCtype: spec.collation,
      connectionLimit: spec.connectionLimit,
      allowConnections: true,
      dependsOn: [...props.dependsOn],
      lifecycle: { preventDestroy: protect },
    });
    // Adoption: an import block, so the plan shows an import and updates, never a create.
    if (spec.existing) this.database.importFrom(spec.name);
  }
}
