import { Apigatewayv2Api } from '@cdktf/provider-aws/lib/apigatewayv2-api';
import { Apigatewayv2Authorizer } from '@cdktf/provider-aws/lib/apigatewayv2-authorizer';
import { Apigatewayv2Integration } from '@cdktf/provider-aws/lib/apigatewayv2-integration';
import { Apigatewayv2Route } from '@cdktf/provider-aws/lib/apigatewayv2-route';
import { Apigatewayv2Stage } from '@cdktf/provider-aws/lib/apigatewayv2-stage';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import type { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import type { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import { Construct } from 'constructs';
import type { JwtAuthorizer } from '../../tenants/registry';
import { apiAccessLogGroupName, awsName } from '../../model/naming';
import type { PlanProfile } from '../../model/plans';

/** Props of {@link StoreHttpApi}. */
export interface StoreHttpApiProps {
  readonly tenantKey: string;
  /** The access log's retention and the default route's throttling. */
  readonly profile: PlanProfile;
  /** Encrypts the access log. */
  readonly kmsKey: KmsKey;
  /**
   * A JWT authorizer on the routes it names; every other request goes to `$default`.
   * @default - none: the store app authenticates its own users (sessions and tokens in its database)
   */
  readonly authorizer?: JwtAuthorizer;
}

/**
 * One JSON line per request: who, what, the answer and how long it took,
 * and the integration's error when the function failed. No headers, no
 * query strings, no bodies: nothing a customer sent ends up in the log.
 */
const ACCESS_LOG_FORMAT = JSON.stringify({
  requestId: '$context.requestId',
  ip: '$context.identity.sourceIp',
  requestTime: '$context.requestTime',
  httpMethod: '$context.httpMethod',
  routeKey: '$context.routeKey',
  path: '$context.path',
  status: '$context.status',
  protocol: '$context.protocol',
  responseLength: '$context.responseLength',
  responseLatency: '$context.responseLatency',
  integrationLatency: '$context.integrationLatency',
  integrationError: '$context.integrationErrorMessage',
});

/**
 * An API Gateway HTTP API for the store, on an auto-deployed `$default`
 * stage that writes an access log (retention by plan, the tenant key) and
 * throttles every route by plan (a flood gets 429s instead of exhausting
 * the function's reserved concurrency). {@link routeTo} sends every request
 * (`$default` route) to the store function, and the authorizer's routes
 * (when the tenant has one) to the same function after a JWT check, and
 * lets this API, and only this API, invoke it (flaw 13: the original forgot
 * the permission). The API exists before the function, whose environment
 * may need its URL.
 */
export class StoreHttpApi extends Construct {
  readonly api: Apigatewayv2Api;
  readonly accessLog: CloudwatchLogGroup;
  readonly authorizer?: Apigatewayv2Authorizer;
  private readonly authorizedRoutes: readonly string[];

  constructor(scope: Construct, id: string, props: StoreHttpApiProps) {
    super(scope, id);
    const name = awsName(props.tenantKey, 'api');
    const { profile } = props;
    this.api = new Apigatewayv2Api(this, 'Api', { name, protocolType: 'HTTP' });
    // HTTP APIs write access logs through their service-linked role: no account-wide CloudWatch role is needed.
    this.accessLog = new CloudwatchLogGroup(this, 'AccessLog', {
      name: apiAccessLogGroupName(name),
      retentionInDays: profile.logRetentionDays,
      kmsKeyId: props.kmsKey.arn,
    });
    new Apigatewayv2Stage(this, 'DefaultStage', {
      apiId: this.api.id,
      name: '$default',
      autoDeploy: true,
      accessLogSettings: { destinationArn: this.accessLog.arn, format: ACCESS_LOG_FORMAT },
      defaultRouteSettings: { throttlingRateLimit: profile.apiRateLimitPerSecond, throttlingBurstLimit: profile.apiBurstLimit },
    });
    this.authorizedRoutes = props.authorizer?.routes ?? [];
    if (props.authorizer) {
      this.authorizer = new Apigatewayv2Authorizer(this, 'JwtAuthorizer', {
        apiId: this.api.id,
        name: awsName(props.tenantKey, 'api-jwt'),
        authorizerType: 'JWT',
        identitySources: ['$request.header.Authorization'],
        jwtConfiguration: { issuer: props.authorizer.issuer, audience: [...props.authorizer.audience] },
      });
    }
  }

  /** The URL of the API, `https://<id>.execute-api.<region>.amazonaws.com`. */
  get url(): string {
    return this.api.apiEndpoint;
  }

  /** Sends every request to the function (payload format 2.0) and allows the API to invoke it. Call once. */
  routeTo(fn: LambdaFunction): LambdaPermission {
    const integration = new Apigatewayv2Integration(this, 'Integration', {
      apiId: this.api.id,
      integrationType: 'AWS_PROXY',
      integrationUri: fn.invokeArn,
      payloadFormatVersion: '2.0',
    });
    new Apigatewayv2Route(this, 'DefaultRoute', { apiId: this.api.id, routeKey: '$default', target: `integrations/${integration.id}` });
    this.authorizedRoutes.forEach((routeKey, index) => {
      new Apigatewayv2Route(this, `AuthorizedRoute${index}`, {
        apiId: this.api.id,
        routeKey,
        target: `integrations/${integration.id}`,
        authorizationType: 'JWT',
        authorizerId: this.authorizer?.id,
      });
    });
    return new LambdaPermission(this, 'InvokePermission', {
      statementId: 'AllowHttpApiInvoke',
      action: 'lambda:InvokeFunction',
      functionName: fn.functionName,
      principal: 'apigateway.amazonaws.com',
      sourceArn: `${this.api.executionArn}/*/*`,
    });
  }
}
