import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { DbInstance } from '@cdktf/provider-aws/lib/db-instance';
import type { DocdbCluster } from '@cdktf/provider-aws/lib/docdb-cluster';
import type { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import type { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { Construct } from 'constructs';
import { awsName } from '../../model/naming';
import { ALARM_PERIOD_SECONDS, DATABASE_CPU_ALARM_PERCENT } from './aws-defaults';

/** Props of {@link StoreAlarms}. */
export interface StoreAlarmsProps {
  readonly tenantKey: string;
  readonly function: LambdaFunction;
  /** The RDS instance, or a MongoDB tenant's DocumentDB cluster, whose CPU is watched. */
  readonly database: DbInstance | DocdbCluster;
  /** Encrypts the topic; its key policy lets CloudWatch publish to it. */
  readonly kmsKey: KmsKey;
}

/**
 * Two alarms per tenant, both notifying (and clearing on) one SNS topic that
 * operators subscribe to: any function error within
 * {@link ALARM_PERIOD_SECONDS}, and database CPU above
 * {@link DATABASE_CPU_ALARM_PERCENT}% for three periods in a row.
 *
 * The topic is encrypted with the tenant's key, whose policy lets CloudWatch
 * publish to it (an AWS-managed key could not: its policy names no service).
 */
export class StoreAlarms extends Construct {
  readonly topic: SnsTopic;
  readonly functionErrors: CloudwatchMetricAlarm;
  readonly databaseCpu: CloudwatchMetricAlarm;

  constructor(scope: Construct, id: string, props: StoreAlarmsProps) {
    super(scope, id);
    this.topic = new SnsTopic(this, 'Topic', { name: awsName(props.tenantKey, 'alarms'), kmsMasterKeyId: props.kmsKey.arn });
    const actions = { alarmActions: [this.topic.arn], okActions: [this.topic.arn] };
    this.functionErrors = new CloudwatchMetricAlarm(this, 'FunctionErrors', {
      alarmName: awsName(props.tenantKey, 'api-errors'),
      alarmDescription: `The store API of ${props.tenantKey} failed a request`,
      namespace: 'AWS/Lambda',
      metricName: 'Errors',
      dimensions: { FunctionName: props.function.functionName },
      statistic: 'Sum',
      period: ALARM_PERIOD_SECONDS,
      evaluationPeriods: 1,
      threshold: 1,
      comparisonOperator: 'GreaterThanOrEqualToThreshold',
      treatMissingData: 'notBreaching',
      ...actions,
    });
    this.databaseCpu = new CloudwatchMetricAlarm(this, 'DatabaseCpu', {
      alarmName: awsName(props.tenantKey, 'db-cpu'),
      alarmDescription: `The database of ${props.tenantKey} is busy`,
      ...(props.database instanceof DbInstance
        ? { namespace: 'AWS/RDS', dimensions: { DBInstanceIdentifier: props.database.identifier } }
        : { namespace: 'AWS/DocDB', dimensions: { DBClusterIdentifier: props.database.clusterIdentifier } }),
      metricName: 'CPUUtilization',
      statistic: 'Average',
      period: ALARM_PERIOD_SECONDS,
      evaluationPeriods: 3,
      threshold: DATABASE_CPU_ALARM_PERCENT,
      comparisonOperator: 'GreaterThanThreshold',
      treatMissingData: 'missing',
      ...actions,
    });
  }
}
