import type { TerraformVariable } from 'cdktf';
import { Construct } from 'constructs';
import { fixedNameVariable as variable } from './fixed-name-variable';

/** Variables of a MongoDB tenant whose database is a container on the Docker host. */
export class MongoVariables extends Construct {
  /** Host of the mongo container's published port, as the deploy's runner and people reach it. */
  readonly mongodbHost: TerraformVariable;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.mongodbHost = variable(this, 'mongodb_host', {
      type: 'string',
      default: 'localhost',
      description:
        "Host where the mongo container's port (published on the Docker host's 127.0.0.1) is reached from the deploying machine: localhost on the Docker host itself, or the near end of an SSH tunnel.",
    });
  }
}
