import { type PolicyRule, blocks, expected } from '../policy-rule';

/** Security policies that allow nothing older than TLS 1.2 with modern ciphers. */
export const MODERN_CLOUDFRONT_POLICIES: readonly string[] = ['TLSv1.2_2021', 'TLSv1.2_2025', 'TLSv1.3_2025'];

/** Viewers talk TLS 1.2 or later. */
export const cloudfrontTls: PolicyRule = {
  id: 'CLOUDFRONT-TLS',
  reason: `A CloudFront distribution must serve its own certificate with minimum_protocol_version ${MODERN_CLOUDFRONT_POLICIES[0]} or later; the default *.cloudfront.net certificate lets viewers negotiate TLS 1.0.`,
  appliesTo: ['aws_cloudfront_distribution'],
  check: ({ config }) => {
    const [certificate] = blocks(config.viewer_certificate);
    if (!certificate || certificate.cloudfront_default_certificate === true) {
      return ['viewer_certificate uses the default *.cloudfront.net certificate, whose security policy is TLSv1'];
    }
    const version = certificate.minimum_protocol_version;
    return MODERN_CLOUDFRONT_POLICIES.includes(String(version)) ? [] : [expected('viewer_certificate.minimum_protocol_version', version, MODERN_CLOUDFRONT_POLICIES.join(' or '))];
  },
};
