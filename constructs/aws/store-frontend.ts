import { CloudfrontDistribution } from '@cdktf/provider-aws/lib/cloudfront-distribution';
import { CloudfrontOriginAccessControl } from '@cdktf/provider-aws/lib/cloudfront-origin-access-control';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { Construct } from 'constructs';
import { awsName, frontendBucketPrefix } from '../naming';
import { CACHING_OPTIMIZED_POLICY_ID } from './aws-defaults';

/** Props of {@link StoreFrontend}. */
export interface StoreFrontendProps {
  readonly tenantKey: string;
  /**
   * CloudFront price class (which edge locations serve it).
   * @default "PriceClass_100" - North America and Europe, the cheapest
   */
  readonly priceClass?: string;
}

const ORIGIN_ID = 'frontend-bucket';

/**
 * The store frontend as static files in a private S3 bucket, served by
 * CloudFront over HTTPS only. The bucket blocks every public access; only
 * this distribution may read it, signed with origin access control (OAC).
 * Deploy files with `aws s3 sync <build> s3://<bucket>`.
 */
export class StoreFrontend extends Construct {
  readonly bucket: S3Bucket;
  readonly distribution: CloudfrontDistribution;

  constructor(scope: Construct, id: string, props: StoreFrontendProps) {
    super(scope, id);
    const priceClass = props.priceClass ?? 'PriceClass_100';

    this.bucket = new S3Bucket(this, 'Bucket', { bucketPrefix: frontendBucketPrefix(props.tenantKey) });
    const publicAccess = new S3BucketPublicAccessBlock(this, 'PublicAccessBlock', {
      bucket: this.bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketOwnershipControls(this, 'OwnershipControls', { bucket: this.bucket.id, rule: { objectOwnership: 'BucketOwnerEnforced' } });
    // SSE-S3: CloudFront reads SSE-KMS objects only with a key policy naming the distribution.
    new S3BucketServerSideEncryptionConfigurationA(this, 'Encryption', {
      bucket: this.bucket.id,
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } }],
    });

    const access = new CloudfrontOriginAccessControl(this, 'OriginAccessControl', {
      name: awsName(props.tenantKey, 'frontend'),
      description: `CloudFront reads ${props.tenantKey}'s frontend bucket`,
      originAccessControlOriginType: 's3',
      signingBehavior: 'always',
      signingProtocol: 'sigv4',
    });
    this.distribution = new CloudfrontDistribution(this, 'Distribution', {
      enabled: true,
      comment: `Store frontend of ${props.tenantKey}`,
      defaultRootObject: 'index.html',
      httpVersion: 'http2and3',
      priceClass,
      origin: [{ originId: ORIGIN_ID, domainName: this.bucket.bucketRegionalDomainName, originAccessControlId: access.id }],
      defaultCacheBehavior: {
        targetOriginId: ORIGIN_ID,
        viewerProtocolPolicy: 'https-only',
        allowedMethods: ['GET', 'HEAD'],
        cachedMethods: ['GET', 'HEAD'],
        cachePolicyId: CACHING_OPTIMIZED_POLICY_ID,
        compress: true,
      },
      // A single-page app: unknown paths (403 from a private bucket) serve the app, which routes.
      customErrorResponse: [{ errorCode: 403, responseCode: 200, responsePagePath: '/index.html' }],
      restrictions: { geoRestriction: { restrictionType: 'none' } },
      viewerCertificate: { cloudfrontDefaultCertificate: true },
    });

    const readByDistribution = new DataAwsIamPolicyDocument(this, 'BucketPolicyDocument', {
      statement: [
        {
          sid: 'CloudFrontReads',
          actions: ['s3:GetObject'],
          resources: [`${this.bucket.arn}/*`],
          principals: [{ type: 'Service', identifiers: ['cloudfront.amazonaws.com'] }],
          condition: [{ test: 'StringEquals', variable: 'AWS:SourceArn', values: [this.distribution.arn] }],
        },
        {
          sid: 'TlsOnly',
          effect: 'Deny',
          actions: ['s3:*'],
          resources: [this.bucket.arn, `${this.bucket.arn}/*`],
          principals: [{ type: '*', identifiers: ['*'] }],
          condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }],
        },
      ],
    });
    new S3BucketPolicy(this, 'BucketPolicy', { bucket: this.bucket.id, policy: readByDistribution.json, dependsOn: [publicAccess] });
  }
}
