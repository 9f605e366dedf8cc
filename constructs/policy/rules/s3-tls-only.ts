import { documentStatements, jsonStatements } from '../iam-statements';
import { type PolicyRule, referenced, referrers } from '../policy-rule';

/** Requests without TLS are refused. */
export const s3TlsOnly: PolicyRule = {
  id: 'S3-TLS-ONLY',
  reason: 'An S3 bucket must have a bucket policy that denies every request made without TLS (aws:SecureTransport = false).',
  appliesTo: ['aws_s3_bucket'],
  check: (bucket, context) => {
    const [policy] = referrers(context, bucket, ['aws_s3_bucket_policy'], 'bucket');
    if (!policy) return ['no aws_s3_bucket_policy in this stack refers to the bucket'];
    const document = referenced(context, policy.config.policy);
    const statements = document?.type === 'aws_iam_policy_document' ? documentStatements(document.config) : jsonStatements(policy.config.policy);
    const deniesPlainHttp = statements.some((s) => s.effect === 'Deny' && s.conditions.includes('Bool aws:SecureTransport'));
    return deniesPlainHttp ? [] : ['the bucket policy has no Deny statement on aws:SecureTransport = false'];
  },
};
