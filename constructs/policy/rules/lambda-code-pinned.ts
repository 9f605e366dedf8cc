import type { PolicyRule } from '../policy-rule';

/** The deployed code changes only when the configuration does. */
export const lambdaCodePinned: PolicyRule = {
  id: 'LAMBDA-CODE-PINNED',
  reason:
    'A Lambda function from a zip in S3 must pin s3_object_version or declare source_code_hash: otherwise whoever can write the shared bucket decides what the next deploy runs, and a changed object at the same key is never deployed.',
  appliesTo: ['aws_lambda_function'],
  check: ({ config }) => {
    if (config.package_type === 'Image' || config.image_uri !== undefined) return [];
    if (config.s3_bucket === undefined && config.filename === undefined) return [];
    if (config.s3_object_version || config.source_code_hash) return [];
    return ['neither s3_object_version nor source_code_hash is set'];
  },
};
