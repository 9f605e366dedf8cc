import { Password } from '@cdktf/provider-random/lib/password';
import { Fn } from 'cdktf';
import { Construct } from 'constructs';
import type { MongoAccessModel } from '../../model/mongo-access-model';

/** Props of {@link MongoPasswords}. */
export interface MongoPasswordsProps {
  /** The tenant's users. */
  readonly model: MongoAccessModel;
  /**
   * Also generate the migrator's password (Atlas, where Terraform manages every user).
   * @default false - the runner sets a one-off password for each run
   */
  readonly includeMigrator?: boolean;
}

/**
 * A generated password per MongoDB user of a tenant (letters and digits, so
 * it needs no escaping in a connection string), kept in the tenant's state
 * and nowhere in its files. Rotate one by replacing it
 * (`terraform apply -replace='random_password.<address>'`): the next deploy
 * gives the user the new one.
 */
export class MongoPasswords extends Construct {
  /** User name to its password. */
  readonly passwords: ReadonlyMap<string, Password>;

  constructor(scope: Construct, id: string, props: MongoPasswordsProps) {
    super(scope, id);
    const users = props.model.users.filter((user) => user.generatedPassword || (props.includeMigrator === true && user.purpose === 'migrator'));
    this.passwords = new Map(users.map((user) => [user.name, new Password(this, `Password_${user.name}`, { length: 32, special: false })]));
  }

  /** A user's password. */
  password(user: string): Password {
    const found = this.passwords.get(user);
    if (!found) throw new Error(`no generated password for MongoDB user ${user}`);
    return found;
  }

  /** `{ "<user>": "<password>" }` as one Terraform expression (the runner's MONGODB_USER_PASSWORDS), resolved at apply time only. */
  json(): string {
    return Fn.jsonencode(Object.fromEntries([...this.passwords].map(([user, password]) => [user, password.result])));
  }

  /** A hash of every password: re-runs the runner when one is rotated, without putting a password in the trigger. */
  checksum(): string {
    return Fn.sha256(this.json());
  }
}
