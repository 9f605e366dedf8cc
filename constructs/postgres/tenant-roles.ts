import { GrantRole } from '@cdktf/provider-postgresql/lib/grant-role';
import { Role } from '@cdktf/provider-postgresql/lib/role';
import { Password } from '@cdktf/provider-random/lib/password';
import { Construct } from 'constructs';
import type { AccessModel, RoleSpec } from '../../model/access-model';
import { constructErrors } from './messages';

/**
 * Construct ids name a role by purpose, not by its physical name, so the
 * Terraform address survives a change of naming scheme (which then renames
 * the role in place instead of replacing it).
 */
export function roleConstructId(spec: RoleSpec): string {
  switch (spec.purpose) {
    case 'owner':
      return 'Owner';
    case 'app':
      return 'App';
    case 'migrator':
      return 'Migrator';
    case 'group':
      return `Group_${spec.kind}`;
    case 'person':
      return `Person_${spec.username}`;
  }
}

/** Props of {@link TenantRoles}. */
export interface TenantRolesProps {
  /** The tenant's access model; one PostgreSQL role per entry of `model.roles`. */
  readonly model: AccessModel;
  /** Name of the role Terraform connects as (`PGUSER`), usually a Terraform variable. */
  readonly serverAdminRole: string;
  /**
   * Length of generated passwords. Letters and digits only, so that they need
   * no quoting in a key=value DSN.
   * @default 32
   */
  readonly passwordLength?: number;
  /**
   * The server of the fleet the roles are on, when not the default one. A
   * change (a move) renews every password: a new one is generated and, its
   * version changing, written to the roles on the new server, where the
   * move created them without one.
   * @default - the default server: no keeper, so passwords deployed before servers existed stay
   */
  readonly server?: string;
}

/**
 * The roles of one tenant: a NOLOGIN owner, NOLOGIN groups per kind of person,
 * a LOGIN role per person and one for the store app, each with a generated
 * password that is never in source or synthesized JSON, and the migrator
 * login, which has no password at rest (the runner sets one per run).
 *
 * Passwords are set through `password_wo`, so the role's state never holds
 * them; the generated value itself lives in the `random_password` state only.
 */
export class TenantRoles extends Construct {
  /** Terraform resource of each role, by role name. */
  readonly roles: ReadonlyMap<string, Role>;
  /** Generated password of each login role, by role name. */
  readonly passwords: ReadonlyMap<string, Password>;
  /** The admin's persistent membership in the owner role; the database waits for it. */
  readonly adminMembership: GrantRole;

  private readonly passwordLength: number;
  private readonly server?: string;

  constructor(scope: Construct, id: string, props: TenantRolesProps) {
    super(scope, id);
    this.passwordLength = props.passwordLength ?? 32;
    this.server = props.server;

    const roles = new Map<string, Role>();
    const passwords = new Map<string, Password>();
    for (const spec of props.model.roles) {
      const password = spec.generatedPassword ? this.createPassword(spec) : undefined;
      if (password) passwords.set(spec.name, password);
      // Groups come before their members in the model, so references resolve.
      const memberOf = spec.memberOf.map((group) => this.lookup(roles, group).name);
      roles.set(spec.name, this.createRole(spec, memberOf, password));
    }
    this.roles = roles;
    this.passwords = passwords;

    // One mechanism per membership: people join their group through `roles`
    // on their role; the admin joins the owner through postgresql_grant_role.
    this.adminMembership = new GrantRole(this, 'AdminMembership', {
      role: props.serverAdminRole,
      grantRole: this.lookup(roles, props.model.adminMemberOf).name,
    });
  }

  /** The resource of a role of the model. */
  role(name: string): Role {
    return this.lookup(this.roles, name);
  }

  /** The generated password of a LOGIN role. */
  password(name: string): Password {
    const password = this.passwords.get(name);
    if (!password) throw new Error(constructErrors.noPassword(this.node.path, name));
    return password;
  }

  private lookup(roles: ReadonlyMap<string, Role>, name: string): Role {
    const role = roles.get(name);
    if (!role) throw new Error(constructErrors.unknownRole(this.node.path, name));
    return role;
  }

  private createPassword(spec: RoleSpec): Password {
    return new Password(this, `Password${roleConstructId(spec)}`, {
      length: this.passwordLength,
      special: false,
      minLower: 1,
      minUpper: 1,
      minNumeric: 1,
      ...(this.server !== undefined && { keepers: { server: this.server } }),
    });
  }

  private createRole(spec: RoleSpec, memberOf: string[], password?: Password): Role {
    return new Role(this, `Role${roleConstructId(spec)}`, {
      name: spec.name,
      login: spec.login,
      inherit: true,
      superuser: false,
      createDatabase: false,
      createRole: false,
      replication: false,
      bypassRowLevelSecurity: false,
      ...(spec.connectionLimit !== undefined && { connectionLimit: spec.connectionLimit }),
      ...(spec.searchPath && { searchPath: [...spec.searchPath] }),
      ...(memberOf.length && { roles: memberOf }),
      // The version must change whenever the password does (a taint, a replace, a new length), or the
      // role would keep the old one while connection strings get the new; the bcrypt hash does exactly that.
      ...(password && { passwordWo: password.result, passwordWoVersion: password.bcryptHash }),
    });
  }
}
