import { DatabaseUser } from '@cdktf/provider-mongodbatlas/lib/database-user';
import { Construct } from 'constructs';
import type { MongoAccessModel } from '../../model/mongo-access-model';

/** Props of {@link AtlasDatabaseUsers}. */
export interface AtlasDatabaseUsersProps {
  /** The tenant's users and roles. */
  readonly model: MongoAccessModel;
  /** The tenant's Atlas project. */
  readonly projectId: string;
  /** The tenant's cluster: every user may reach it and no other cluster of the project. */
  readonly clusterName: string;
  /** Each user's generated password (Terraform references). */
  readonly passwordOf: (user: string) => string;
  /** Labels on every user (tenant and plan). */
  readonly labels: Readonly<Record<string, string>>;
}

/**
 * The Atlas rendering of a MongoDB tenant's access model: a
 * `mongodbatlas_database_user` per person, for the app and for the
 * provisioning runner, defined in `admin` (Atlas keeps every user there),
 * with exactly the model's roles on the tenant's database, and scoped to the
 * tenant's cluster. Atlas manages users through its API only, so on Atlas
 * these resources, not the runner, are authoritative: a user removed from the
 * registry is removed by the next deploy.
 */
export class AtlasDatabaseUsers extends Construct {
  /** User name to its resource. */
  readonly users: ReadonlyMap<string, DatabaseUser>;

  constructor(scope: Construct, id: string, props: AtlasDatabaseUsersProps) {
    super(scope, id);
    const labels = Object.entries(props.labels).map(([key, value]) => ({ key, value }));
    this.users = new Map(
      props.model.users.map((user) => [
        user.name,
        new DatabaseUser(this, `User_${user.name}`, {
          projectId: props.projectId,
          username: user.name,
          password: props.passwordOf(user.name),
          authDatabaseName: props.model.authDatabase,
          roles: user.roles.map((role) => ({ roleName: role.role, databaseName: role.db })),
          scopes: [{ name: props.clusterName, type: 'CLUSTER' }],
          labels,
        }),
      ]),
    );
  }
}
