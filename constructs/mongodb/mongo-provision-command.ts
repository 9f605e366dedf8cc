import { DataResource, type ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';

/** Props of {@link MongoProvisionCommand}. */
export interface MongoProvisionCommandProps {
  /** The tenant to provision. */
  readonly tenantKey: string;
  /** Values whose change runs the runner again on the next deploy. */
  readonly triggers: Readonly<Record<string, string | readonly string[]>>;
  /** Path from the stack's working directory (`cdktf.out/stacks/<key>`) to the project root. */
  readonly projectDir: string;
  /** What must exist before the runner runs. */
  readonly dependsOn: readonly ITerraformDependable[];
  /**
   * The runner's environment (`MONGODB_SERVER_URI`, `MONGODB_ADMIN_USER`, the
   * generated passwords): values known at deploy time only, written as
   * Terraform references that Terraform resolves when it runs the command (a
   * generated password is in the tenant's state already; it is never a
   * literal in the synthesized JSON, and Terraform hides the command's
   * environment as sensitive). What is not generated (DocumentDB's master
   * password) comes from the deploying shell.
   */
  readonly environment: Readonly<Record<string, string>>;
}

/**
 * Runs `npx tenants mongo-provision <key>` on deploy (through `terraform_data`
 * with a local-exec provisioner, like the PostgreSQL tenants' migrations),
 * whenever its triggers change: users and roles, collections with their
 * validators, indexes and lookup documents, created or updated idempotently
 * (ops/mongo-provision.ts).
 */
export class MongoProvisionCommand extends Construct {
  readonly runner: DataResource;

  constructor(scope: Construct, id: string, props: MongoProvisionCommandProps) {
    super(scope, id);
    this.runner = new DataResource(this, 'Runner', {
      triggersReplace: Object.fromEntries(Object.entries(props.triggers).map(([name, value]) => [name, typeof value === 'string' ? value : [...value]])),
      dependsOn: [...props.dependsOn],
      provisioners: [
        {
          type: 'local-exec',
          command: `npm run --silent tenants -- mongo-provision ${props.tenantKey}`,
          workingDir: props.projectDir,
          environment: { ...props.environment },
        },
      ],
    });
  }
}
