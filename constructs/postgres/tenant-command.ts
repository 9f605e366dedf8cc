import { DataResource, type ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';

/** Props of {@link TenantCommand}. */
export interface TenantCommandProps {
  /** The `tenants` command and its arguments, e.g. `['migrate', 'building_shop']`. */
  readonly args: readonly string[];
  /** Values whose change runs the command again on the next deploy. */
  readonly triggers: Readonly<Record<string, string | readonly string[]>>;
  /** Path from the stack's working directory (`cdktf.out/stacks/<key>`) to the project root. */
  readonly projectDir: string;
  /** What must exist before the command runs. */
  readonly dependsOn: readonly ITerraformDependable[];
  /**
   * Extra environment for the command, for values known only at deploy time
   * (for example `PGHOST` from another stack, or a MongoDB tenant's generated
   * passwords), written as Terraform references that Terraform resolves when
   * it runs the command: never a literal secret in the synthesized JSON
   * (Terraform hides the command's environment as sensitive). Secrets that
   * are not generated come from the deploying shell's environment.
   * @default {}
   */
  readonly environment?: Readonly<Record<string, string>>;
}

/**
 * Runs one of the platform's own `tenants` commands on deploy
 * (`npm run --silent tenants -- <args>`), through `terraform_data` with a
 * local-exec provisioner, whenever its triggers change. A PostgreSQL tenant's
 * deploy uses three: `prepare` (right after the database exists),
 * `retire-logins` (after the roles change) and `migrate` (after every grant);
 * a MongoDB tenant's one, `mongo-provision` (ops/mongo-provision.ts).
 *
 * The command connects with the libpq environment of the deploying shell
 * (`PGHOST`, `PGUSER`, `PGPASSWORD`, `PGSSLMODE`) as the server admin, for
 * catalog statements only; the migrations themselves run in the tenant
 * migrator's session (ops/tenant-sessions.ts). Nothing secret is written
 * into the synthesized JSON.
 */
export class TenantCommand extends Construct {
  readonly runner: DataResource;

  constructor(scope: Construct, id: string, props: TenantCommandProps) {
    super(scope, id);
    this.runner = new DataResource(this, 'Runner', {
      triggersReplace: Object.fromEntries(Object.entries(props.triggers).map(([name, value]) => [name, typeof value === 'string' ? value : [...value]])),
      dependsOn: [...props.dependsOn],
      provisioners: [
        {
          type: 'local-exec',
          command: `npm run --silent tenants -- ${props.args.join(' ')}`,
          workingDir: props.projectDir,
          ...(props.environment && { environment: { ...props.environment } }),
        },
      ],
    });
  }
}
