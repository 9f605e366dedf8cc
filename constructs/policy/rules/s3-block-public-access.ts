import { type PolicyRule, referrers } from '../policy-rule';

const SETTINGS = ['block_public_acls', 'block_public_policy', 'ignore_public_acls', 'restrict_public_buckets'];

/** No bucket can be made public by an ACL or a policy. */
export const s3BlockPublicAccess: PolicyRule = {
  id: 'S3-BLOCK-PUBLIC-ACCESS',
  reason: 'An S3 bucket must have a public access block with all four settings on (an aws_s3_bucket_public_access_block in its stack), so no ACL or policy can publish a tenant\'s files.',
  appliesTo: ['aws_s3_bucket'],
  check: (bucket, context) => {
    const [block] = referrers(context, bucket, ['aws_s3_bucket_public_access_block'], 'bucket');
    if (!block) return ['no aws_s3_bucket_public_access_block in this stack refers to the bucket'];
    const off = SETTINGS.filter((setting) => block.config[setting] !== true);
    return off.length ? [`the public access block leaves ${off.join(', ')} off`] : [];
  },
};
