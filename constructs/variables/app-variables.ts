import type { TerraformVariable } from 'cdktf';
import { Construct } from 'constructs';
import { fixedNameVariable as variable } from './fixed-name-variable';

/**
 * The store API's secrets and mail settings, as Terraform variables with
 * fixed names. Secrets have no default and are sensitive: they come from the
 * deploying environment, never from the registry or the synthesized JSON.
 */
export class AppVariables extends Construct {
  readonly stripeKey: TerraformVariable;
  readonly stripeSecret: TerraformVariable;
  readonly smtpUser: TerraformVariable;
  readonly smtpPassword: TerraformVariable;
  readonly smtpPort: TerraformVariable;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.stripeKey = variable(this, 'stripe_key', { type: 'string', description: 'Stripe publishable key (STRIPE_KEY).' });
    this.stripeSecret = variable(this, 'stripe_secret', { type: 'string', sensitive: true, description: 'Stripe secret key (STRIPE_SECRET).' });
    this.smtpUser = variable(this, 'smtp_user', { type: 'string', description: 'SMTP user (SMTP_USER).' });
    this.smtpPassword = variable(this, 'smtp_password', { type: 'string', sensitive: true, description: 'SMTP password (SMTP_PASSWORD).' });
    this.smtpPort = variable(this, 'smtp_port', { type: 'number', default: 587, description: 'SMTP port (SMTP_PORT).' });
  }

  /** The store API's sources these variables give (model/store-api.ts), as every rendering of its environment takes them. */
  sources(): { readonly stripeKey: string; readonly stripeSecret: string; readonly smtpUser: string; readonly smtpPassword: string; readonly smtpPort: string } {
    return {
      stripeKey: this.stripeKey.stringValue,
      stripeSecret: this.stripeSecret.stringValue,
      smtpUser: this.smtpUser.stringValue,
      smtpPassword: this.smtpPassword.stringValue,
      smtpPort: this.smtpPort.stringValue,
    };
  }
}
