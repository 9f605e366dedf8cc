import { CloudfrontDistribution, type CloudfrontDistributionViewerCertificate } from '@cdktf/provider-aws/lib/cloudfront-distribution';
import { CloudfrontOriginAccessControl } from '@cdktf/provider-aws/lib/cloudfront-origin-access-control';
import { DataAwsIamPolicyDocument, type DataAwsIamPolicyDocumentStatement } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { Construct } from 'constructs';
import type { FrontendDomain } from '../../tenants/registry';
import { awsName, frontendBucketPrefix, frontendLogBucketPrefix } from '../../model/naming';
import { suppressPolicy } from '../policy';
import { CACHING_OPTIMIZED_POLICY_ID, FRONTEND_MINIMUM_TLS, SECURITY_HEADERS_POLICY_ID } from './aws-defaults';

/** Props of {@link StoreFrontend}. */
export interface StoreFrontendProps {
  readonly tenantKey: string;
  /** Days CloudFront's access logs are kept (the plan's log retention). */
  readonly logRetentionDays: number;
  /**
   * The frontend's own domain and its ACM certificate (us-east-1), served with {@link FRONTEND_MINIMUM_TLS}.
   * @default - the *.cloudfront.net name and certificate, which allow TLS 1.0 (CloudFront's TLSv1 policy)
   */
  readonly domain?: FrontendDomain;
  /**
   * A WAFv2 web ACL (scope CLOUDFRONT) in front of the distribution.
   * @default - none
   */
  readonly webAclArn?: string;
  /**
   * CloudFront price class (which edge locations serve it).
   * @default "PriceClass_100" - North America and Europe, the cheapest
   */
  readonly priceClass?: string;
}

const ORIGIN_ID = 'frontend-bucket';

/**
 * The store frontend as static files in a private S3 bucket, served by
 * CloudFront over HTTPS only with the managed security-headers policy. The
 * bucket blocks every public access and refuses requests without TLS; only
 * this distribution may read it, signed with origin access control (OAC).
 * CloudFront writes an access log per request to a second private bucket,
 * expired after the plan's log retention. Deploy files with
 * `aws s3 sync <build> s3://<bucket>`.
 */
export class StoreFrontend extends Construct {
  readonly bucket: S3Bucket;
  readonly logBucket: S3Bucket;
  readonly distribution: CloudfrontDistribution;

  constructor(scope: Construct, id: string, props: StoreFrontendProps) {
    super(scope, id);
    const priceClass = props.priceClass ?? 'PriceClass_100';

    this.bucket = new S3Bucket(this, 'Bucket', { bucketPrefix: frontendBucketPrefix(props.tenantKey) });
    const publicAccess = this.privateBucket('', this.bucket, 'BucketOwnerEnforced');
    this.logBucket = new S3Bucket(this, 'LogBucket', { bucketPrefix: frontendLogBucketPrefix(props.tenantKey) });
    // CloudFront's standard logs are delivered with an ACL grant, so this bucket keeps ACLs (never public ones).
    const logPublicAccess = this.privateBucket('Log', this.logBucket, 'BucketOwnerPreferred');
    new S3BucketLifecycleConfiguration(this, 'LogExpiry', {
      bucket: this.logBucket.id,
      rule: [{ id: 'expire-access-logs', status: 'Enabled', filter: [{ prefix: '' }], expiration: [{ days: props.logRetentionDays }] }],
    });

    const access = new CloudfrontOriginAccessControl(this, 'OriginAccessControl', {
      name: awsName(props.tenantKey, 'frontend'),
      description: `CloudFront reads ${props.tenantKey}'s frontend bucket`,
      originAccessControlOriginType: 's3',
      signingBehavior: 'always',
      signingProtocol: 'sigv4',
    });
    const viewerCertificate: CloudfrontDistributionViewerCertificate = props.domain
      ? { acmCertificateArn: props.domain.certificateArn, sslSupportMethod: 'sni-only', minimumProtocolVersion: FRONTEND_MINIMUM_TLS }
      : { cloudfrontDefaultCertificate: true };
    this.distribution = new CloudfrontDistribution(this, 'Distribution', {
      enabled: true,
      comment: `Store frontend of ${props.tenantKey}`,
      defaultRootObject: 'index.html',
      httpVersion: 'http2and3',
      priceClass,
      ...(props.domain && { aliases: [props.domain.name] }),
      ...(props.webAclArn && { webAclId: props.webAclArn }),
      origin: [{ originId: ORIGIN_ID, domainName: this.bucket.bucketRegionalDomainName, originAccessControlId: access.id }],
      defaultCacheBehavior: {
        targetOriginId: ORIGIN_ID,
        viewerProtocolPolicy: 'https-only',
        allowedMethods: ['GET', 'HEAD'],
        cachedMethods: ['GET', 'HEAD'],
        cachePolicyId: CACHING_OPTIMIZED_POLICY_ID,
        responseHeadersPolicyId: SECURITY_HEADERS_POLICY_ID,
        compress: true,
      },
      // A single-page app: unknown paths (403 from a private bucket) serve the app, which routes.
      customErrorResponse: [{ errorCode: 403, responseCode: 200, responsePagePath: '/index.html' }],
      restrictions: { geoRestriction: { restrictionType: 'none' } },
      viewerCertificate,
      loggingConfig: { bucket: this.logBucket.bucketDomainName, prefix: 'cloudfront/', includeCookies: false },
      dependsOn: [logPublicAccess],
    });
    if (!props.domain) {
      suppressPolicy(
        this.distribution,
        'CLOUDFRONT-TLS',
        'no app.frontendDomain: the *.cloudfront.net certificate only comes with the TLSv1 policy; browsers negotiate TLS 1.2 or 1.3 anyway, and app.frontendDomain gives TLSv1.2_2021',
      );
    }

    this.bucketPolicy('', this.bucket, publicAccess, {
      sid: 'CloudFrontReads',
      actions: ['s3:GetObject'],
      resources: [`${this.bucket.arn}/*`],
      principals: [{ type: 'Service', identifiers: ['cloudfront.amazonaws.com'] }],
      condition: [{ test: 'StringEquals', variable: 'AWS:SourceArn', values: [this.distribution.arn] }],
    });
    this.bucketPolicy('Log', this.logBucket, logPublicAccess);
  }

  /** Every public access blocked, one object owner, SSE-S3 (CloudFront reads SSE-KMS objects only with a key policy naming the distribution). */
  private privateBucket(prefix: string, bucket: S3Bucket, objectOwnership: string): S3BucketPublicAccessBlock {
    const block = new S3BucketPublicAccessBlock(this, `${prefix}PublicAccessBlock`, {
      bucket: bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketOwnershipControls(this, `${prefix}OwnershipControls`, { bucket: bucket.id, rule: { objectOwnership } });
    new S3BucketServerSideEncryptionConfigurationA(this, `${prefix}Encryption`, {
      bucket: bucket.id,
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } }],
    });
    return block;
  }

  /** The bucket's policy: requests without TLS refused, and the given grants. */
  private bucketPolicy(prefix: string, bucket: S3Bucket, publicAccess: S3BucketPublicAccessBlock, ...grants: DataAwsIamPolicyDocumentStatement[]): void {
    const document = new DataAwsIamPolicyDocument(this, `${prefix}BucketPolicyDocument`, {
      statement: [
        ...grants,
        {
          sid: 'TlsOnly',
          effect: 'Deny',
          actions: ['s3:*'],
          resources: [bucket.arn, `${bucket.arn}/*`],
          principals: [{ type: '*', identifiers: ['*'] }],
          condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }],
        },
      ],
    });
    new S3BucketPolicy(this, `${prefix}BucketPolicy`, { bucket: bucket.id, policy: document.json, dependsOn: [publicAccess] });
  }
}
