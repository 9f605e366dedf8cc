import { Apigatewayv2Api } from '@cdktf/provider-aws/lib/apigatewayv2-api';
import { Apigatewayv2Integration } from '@cdktf/provider-aws/lib/apigatewayv2-integration';
import { Apigatewayv2Route } from '@cdktf/provider-aws/lib/apigatewayv2-route';
import { Apigatewayv2Stage } from '@cdktf/provider-aws/lib/apigatewayv2-stage';
import type { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import { Construct } from 'constructs';
import { awsName } from '../naming';

/** Props of {@link StoreHttpApi}. */
export interface StoreHttpApiProps {
  readonly tenantKey: string;
}

/**
 * An API Gateway HTTP API for the store, on an auto-deployed `$default`
 * stage. {@link routeTo} sends every request (`$default` route) to the store
 * function and lets this API, and only this API, invoke it (flaw 13: the
 * original forgot the permission). The API exists before the function, whose
 * environment may need its URL.
 */
export class StoreHttpApi extends Construct {
  readonly api: Apigatewayv2Api;

  constructor(scope: Construct, id: string, props: StoreHttpApiProps) {
    super(scope, id);
    this.api = new Apigatewayv2Api(this, 'Api', { name: awsName(props.tenantKey, 'api'), protocolType: 'HTTP' });
    new Apigatewayv2Stage(this, 'DefaultStage', { apiId: this.api.id, name: '$default', autoDeploy: true });
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
