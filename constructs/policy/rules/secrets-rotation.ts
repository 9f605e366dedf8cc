import { type PolicyRule, referrers } from '../policy-rule';

/** Secrets change on a schedule, or say why not. */
export const secretsRotation: PolicyRule = {
  id: 'SECRETS-ROTATION',
  reason: 'A Secrets Manager secret must be rotated (an aws_secretsmanager_secret_rotation in its stack), or carry a suppression saying how it is rotated instead.',
  appliesTo: ['aws_secretsmanager_secret'],
  check: (secret, context) =>
    referrers(context, secret, ['aws_secretsmanager_secret_rotation'], 'secret_id').length ? [] : ['no aws_secretsmanager_secret_rotation in this stack refers to the secret'],
};
