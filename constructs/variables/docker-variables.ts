import type { TerraformVariable } from 'cdktf';
import { Construct } from 'constructs';
import { fixedNameVariable as variable } from './fixed-name-variable';

/** Variables of the Docker target only. */
export class DockerVariables extends Construct {
  /** Host of the database as the app container reaches it. */
  readonly appDatabaseHost: TerraformVariable;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.appDatabaseHost = variable(this, 'app_database_host', {
      type: 'string',
      default: 'host.docker.internal',
      description: 'Database host as the app container reaches it (the Docker host by default).',
    });
  }
}
