import { Apigatewayv2Api } from '@cdktf/provider-aws/lib/apigatewayv2-api';
import { Apigatewayv2Integration } from '@cdktf/provider-aws/lib/apigatewayv2-integration';
import { Apigatewayv2Route } from '@cdktf/provider-aws/lib/apigatewayv2-route';
import { Apigatewayv2Stage } from '@cdktf/provider-aws/lib/apigatewayv2-stage';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import type { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import { Construct } from 'constructs';
import { apiAccessLogGroupName, awsName } from '../naming';

/** Props of {@link StoreHttpApi}. */
export interface StoreHttpApiProps {
  readonly tenantKey: string;
  /** Days the access log is kept (the plan's log retention). */
  readonly logRetentionDays: number;
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
 * stage that writes an access log (retention by plan). {@link routeTo} sends every request (`$default` route) to the store
 * function and lets this API, and only this API, invoke it (flaw 13: the
 * original forgot the permission). The API exists before the function, whose
 * environment may need its URL.
 */
export class StoreHttpApi extends Construct {
  readonly api: Apigatewayv2Api;
  readonly accessLog: CloudwatchLogGroup;

  constructor(scope: Construct, id: string, props: StoreHttpApiProps) {
    super(scope, id);
    const name = awsName(props.tenantKey, 'api');
    this.api = new Apigatewayv2Api(this, 'Api', { name, protocolType: 'HTTP' });
    // HTTP APIs write access logs through their service-linked role: no account-wide CloudWatch role is needed.
    this.accessLog = new CloudwatchLogGroup(this, 'AccessLog', { name: apiAccessLogGroupName(name), retentionInDays: props.logRetentionDays });
    new Apigatewayv2Stage(this, 'DefaultStage', {
      apiId: this.api.id,
      name: '$default',
      autoDeploy: true,
      accessLogSettings: { destinationArn: this.accessLog.arn, format: ACCESS_LOG_FORMAT },
    });
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
    return new LambdaPermission(this, 'InvokePermission', {
      statementId: 'AllowHttpApiInvoke',
      action: 'lambda:InvokeFunction',
      functionName: fn.functionName,
      principal: 'apigateway.amazonaws.com',
      sourceArn: `${this.api.executionArn}/*/*`,
    });
  }
}
