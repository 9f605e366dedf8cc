/**
 * The steps `tenants offboard` prints for a MongoDB tenant: back up its
 * database with mongodump (the password asked for, never on the command
 * line), lift the protection, destroy, remove the file.
 */
import { RDS_CA_BUNDLE } from '../constructs/aws/aws-defaults';
import { DOCDB_MASTER_USERNAME, MONGO_ROOT_USERNAME } from '../model/mongo-defaults';
import { awsStackNames, tenantStackNames } from '../model/naming';
import type { MongoTenant } from '../tenants/registry';
import type { Colours } from './io';

/** A word the shell takes as it is: MongoDB database names may hold quotes and backticks. */
function shellQuoted(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** The backup command of a MongoDB tenant's database, by placement. */
function backup(tenant: MongoTenant): string[] {
  const db = shellQuoted(tenant.database.name);
  const archive = `--gzip --archive="${tenant.key}-$(date +%Y%m%d).archive.gz"`;
  switch (tenant.database.placement) {
    case 'container':
      return [`     mongodump --host localhost --port ${tenant.database.container.port} --username ${MONGO_ROOT_USERNAME} --authenticationDatabase admin --db ${db} ${archive}`];
    case 'documentdb':
      return [
        `     mongodump --host "$(cd cdktf.out/stacks/${awsStackNames(tenant.key).database} && terraform output -raw cluster_endpoint)" --port 27017 --ssl --sslCAFile ${RDS_CA_BUNDLE} \\`,
        `       --username ${DOCDB_MASTER_USERNAME} --authenticationDatabase admin --db ${db} ${archive}    # the master password from the secret in master_user_secret_arn`,
      ];
    case 'atlas':
      return [
        `     mongodump --uri "mongodb+srv://<the cluster's host, in Atlas>/" --username ${tenant.key}__migrator --authenticationDatabase admin --db ${db} ${archive}`,
        `       # its password: bash scripts/cdktf.sh output ${tenant.key} (connection_strings); or download the cluster's last snapshot in Atlas`,
      ];
  }
}

/** The steps after marking a MongoDB tenant: back up, lift the protection and destroy, remove the file. */
export function mongoOffboardingSteps(tenant: MongoTenant, colour: Colours): string {
  const stacks = tenantStackNames(tenant);
  const aws = awsStackNames(tenant.key);
  const placement = tenant.database.placement;
  return [
    colour.bold(`Offboarding ${tenant.key}: nothing has been destroyed. Next:`),
    `1. Back up the MongoDB database (mongodump asks for the password; never put it on the command line):`,
    ...backup(tenant),
    `   and check the archive: mongorestore --gzip --archive=<file> --dryRun --verbose`,
    `2. Destroy the tenant's stacks; the next synth no longer protects its database:`,
    ...(placement === 'documentdb'
      ? [
          `     bash scripts/cdktf.sh deploy ${aws.database} --ignore-missing-stack-dependencies    # first: turns off the DocumentDB deletion protection (a final snapshot is still taken)`,
          `     (cd cdktf.out/stacks/${aws.database} && terraform state list | grep -E '^aws_kms_(key|alias)\\.' | xargs -r terraform state rm)`,
          `         # keeps the KMS key that encrypts the final snapshot; schedule its deletion once the snapshot is no longer needed`,
          `     bash scripts/cdktf.sh destroy ${[...stacks].reverse().join(' ')}`,
        ]
      : placement === 'atlas'
        ? [
            `     bash scripts/cdktf.sh deploy ${tenant.key}    # first: turns off the cluster's termination protection`,
            `     bash scripts/cdktf.sh destroy ${tenant.key}    # the cluster, its users and its project (a project named in the file stays)`,
          ]
        : [
            `     bash scripts/cdktf.sh deploy ${tenant.key}    # first: lifts the data volume's prevent_destroy`,
            `     bash scripts/cdktf.sh destroy ${tenant.key}    # the containers, the network and the data volume`,
          ]),
    `3. Remove the tenant from the registry: git rm ${tenant.file}, and commit.`,
    `Changed your mind before step 2? npx tenants offboard ${tenant.key} --cancel`,
    '',
  ].join('\n');
}
