import { DefaultPrivileges } from '@cdktf/provider-postgresql/lib/default-privileges';
import { Grant } from '@cdktf/provider-postgresql/lib/grant';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { SERVER_ADMIN_GRANTEE, type AccessModel, PUBLIC_GRANTEE } from '../../model/access-model';
import { STORE_SCHEMA } from '../../model/defaults';
import { type TenantRoles, roleConstructId } from './tenant-roles';

/** Props of {@link TenantAccess}. */
export interface TenantAccessProps {
  readonly model: AccessModel;
  /** The tenant's database name, as a reference so grants wait for the database. */
  readonly database: string;
  /** The tenant's roles, so grants reference (and wait for) their grantee. */
  readonly roles: TenantRoles;
  /** Name of the role Terraform connects as. */
  readonly serverAdminRole: string;
  /** What the first grant waits for besides its references (the database). */
  readonly dependsOn: readonly ITerraformDependable[];
}

/**
 * Grants, default privileges and PUBLIC revokes of one tenant, exactly one
 * `postgresql_grant` per (role, database, schema, object type), because the
 * provider's grant is authoritative (it revokes everything else first).
 *
 * They run one after another: grants on the same database in parallel fail
 * with `tuple concurrently updated` (provider issues #178, #223, #425).
 */
export class TenantAccess extends Construct {
  /** Every grant and default privilege, in the order they apply. */
  readonly resources: readonly (Grant | DefaultPrivileges)[];

  constructor(scope: Construct, id: string, props: TenantAccessProps) {
    super(scope, id);
    const grantee = (name: string): string =>
      name === SERVER_ADMIN_GRANTEE ? props.serverAdminRole : name === PUBLIC_GRANTEE ? PUBLIC_GRANTEE : props.roles.role(name).name;
    const labels = new Map(props.model.roles.map((spec) => [spec.name, roleConstructId(spec)]));
    labels.set(SERVER_ADMIN_GRANTEE, 'TerraformAdmin').set(PUBLIC_GRANTEE, 'Public');
    const label = (name: string): string => labels.get(name) as string;

    const resources: (Grant | DefaultPrivileges)[] = [];
    let previous: readonly ITerraformDependable[] = props.dependsOn;
    const chain = <T extends Grant | DefaultPrivileges>(resource: T): T => {
      resources.push(resource);
      previous = [resource];
      return resource;
    };

    for (const grant of props.model.grants) {
      chain(
        // Ids of grants on the store's schema stay as they were; a grant on another schema names it.
        new Grant(this, `Grant${label(grant.grantee)}_${grant.objectType}${grant.schema && grant.schema !== STORE_SCHEMA ? `_${grant.schema}` : ''}`, {
          role: grantee(grant.grantee),
          database: props.database,
          objectType: grant.objectType,
          ...(grant.schema && { schema: grant.schema }),
          // Tables and sequences: all that exist now; default privileges cover later ones.
          ...((grant.objectType === 'table' || grant.objectType === 'sequence') && { objects: [] }),
          privileges: [...grant.privileges],
          dependsOn: [...previous],
        }),
      );
    }
    for (const spec of props.model.defaultPrivileges) {
      chain(
        new DefaultPrivileges(this, `Default${label(spec.grantee)}_${spec.objectType}`, {
          role: grantee(spec.grantee),
          database: props.database,
          owner: props.roles.role(spec.owner).name,
          objectType: spec.objectType,
          ...(spec.schema && { schema: spec.schema }),
          privileges: [...spec.privileges],
          dependsOn: [...previous],
        }),
      );
    }
    this.resources = resources;
  }
}
