/**
 * Real Terraform for the AWS stacks, offline: the hashicorp/aws provider
 * comes from the machine's filesystem mirror (TF_PLUGIN_MIRROR), credentials
 * are fake, and the provider's skip flags are added by an override file the
 * test writes next to the synthesized JSON, so the production configuration
 * carries none of them.
 */
import { execFileSync, spawn } from 'node:child_process';
import { statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

/** The environment variable scripts/machine-env.sh sets to the provider mirror. */
export const PLUGIN_MIRROR_VARIABLE = 'TF_PLUGIN_MIRROR';

/** The provider mirror directory (the one holding registry.terraform.io); throws a clear message when it is missing. */
export function pluginMirror(env: NodeJS.ProcessEnv = process.env): string {
  const dir = env[PLUGIN_MIRROR_VARIABLE];
  const isDir = (() => {
    try {
      return !!dir && statSync(dir).isDirectory();
    } catch {
      return false;
    }
  })();
  if (!dir || !isDir) throw new Error(missingPluginMirror(PLUGIN_MIRROR_VARIABLE));
  return dir;
}

/**
 * Writes the project's Terraform CLI configuration (scripts/terraform-cli-config.sh,
 * the one `npm run synth` and scripts/cdktf.sh use) for the given mirror, and returns its path.
 */
export function writeCliConfig(dir: string, mirror: string): string {
  const file = path.join(dir, 'terraform.tfrc');
  execFileSync('bash', [path.resolve(__dirname, '..', '..', 'scripts', 'terraform-cli-config.sh'), file], {
    env: { ...process.env, [PLUGIN_MIRROR_VARIABLE]: mirror },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return file;
}

/**
 * What the test adds to every AWS stack (`*_override.tf.json` files are
 * merged into the configuration by Terraform): no credential check, no
 * account-id lookup, no instance metadata, so that a plan makes no call.
 */
export const OFFLINE_PROVIDER_OVERRIDE = {
  provider: { aws: [{ skip_credentials_validation: true, skip_requesting_account_id: true, skip_metadata_api_check: 'true' }] },
};

/** Writes {@link OFFLINE_PROVIDER_OVERRIDE} into a stack directory. */
export function writeOfflineOverride(stackDir: string): void {
  writeFileSync(path.join(stackDir, 'offline_test_override.tf.json'), JSON.stringify(OFFLINE_PROVIDER_OVERRIDE, null, 2));
}

/**
 * The environment Terraform runs in: the project's CLI configuration, fake
 * credentials (and no profile or shared files of the developer's), no
 * version check, and stand-in values for the stacks' required variables.
 */
export function terraformEnv(cliConfig: string, scratch: string, variables: Readonly<Record<string, string>>): NodeJS.ProcessEnv {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(AWS_|TF_)/.test(name)));
  return {
    ...inherited,
    TF_CLI_CONFIG_FILE: cliConfig,
    TF_IN_AUTOMATION: '1',
    TF_INPUT: '0',
    CHECKPOINT_DISABLE: '1',
    AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'fake-secret-for-offline-plans',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_SHARED_CREDENTIALS_FILE: path.join(scratch, 'no-aws-credentials'),
    AWS_CONFIG_FILE: path.join(scratch, 'no-aws-config'),
    ...Object.fromEntries(Object.entries(variables).map(([name, value]) => [`TF_VAR_${name}`, value])),
  };
}

/** The outcome of one Terraform command. */
export interface TerraformResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `terraform <args>` in a directory, without a terminal. */
export function terraform(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv): Promise<TerraformResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('terraform', ['-chdir=' + cwd, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Plausible values for upstream outputs, by `<resource type>.<attribute>`; the resource id keeps ids unique. */
const STAND_INS: Readonly<Record<string, (resourceId: string, hex: string) => string>> = {
  'aws_subnet.id': (_id, hex) => `subnet-${hex}`,
  'aws_security_group.id': (_id, hex) => `sg-${hex}`,
  'aws_security_group.arn': (_id, hex) => `arn:aws:ec2:eu-central-1:123456789012:security-group/sg-${hex}`,
  'aws_kms_key.arn': () => 'arn:aws:kms:eu-central-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
  'aws_db_instance.address': () => 'stand-in-db.c0abcdefghij.eu-central-1.rds.amazonaws.com',
  'aws_db_instance.arn': () => 'arn:aws:rds:eu-central-1:123456789012:db:stand-in-db',
  'aws_db_instance.identifier': () => 'stand-in-db',
  'aws_db_instance.resource_id': () => 'db-ABCDEFGHIJKLMNOPQRSTUVWXYZ',
  'aws_docdb_cluster.endpoint': () => 'stand-in-docdb.cluster-c0abcdefghij.eu-west-1.docdb.amazonaws.com',
  'aws_docdb_cluster.cluster_identifier': () => 'stand-in-docdb',
  'postgresql_database.name': () => 'stand_in_database',
  'postgresql_role.name': () => 'stand_in__app',
  'random_password.result': () => 'StandInPassword0',
};

/**
 * A Terraform state (format 4) holding a stand-in value for every
 * cross-stack output of a synthesized upstream stack, as if it had been
 * applied: what a downstream stack's terraform_remote_state reads.
 */
export function standInState(stackName: string, synthesized: { output?: Record<string, { value: unknown }> }): object {
  const outputs = Object.entries(synthesized.output ?? {})
    .filter(([name]) => name.startsWith('cross-stack-output-'))
    .map(([name, { value }]) => {
      const match = /^\$\{([a-z0-9_]+)\.([A-Za-z0-9_]+)\.([a-z_]+)\}$/.exec(String(value));
      const make = match && STAND_INS[`${match[1]}.${match[3]}`];
      if (!match || !make) throw new Error(`no stand-in value for output ${name} (${String(value)}) of ${stackName}: add one to STAND_INS`);
      const hex = Buffer.from(match[2]).toString('hex').slice(-17).padStart(17, '0');
      return [name, { value: make(match[2], hex), type: 'string', sensitive: true }] as const;
    });
  return { version: 4, terraform_version: '1.11.4', serial: 1, lineage: `stand-in-${stackName}`, outputs: Object.fromEntries(outputs), resources: [], check_results: null };
}

/** The Terraform tests need the provider mirror the machine setup points at. */
export function missingPluginMirror(variable: string): string {
  return `${variable} is not set or is not a directory: the Terraform tests install hashicorp/aws from a filesystem mirror and never download it; source scripts/machine-env.sh (npm test and .ci/run do) or set ${variable} to the directory that holds registry.terraform.io`;
}
