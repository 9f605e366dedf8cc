import { Fn } from 'cdktf';

/**
 * Partition and account of a tenant, read from the ARN of one of its
 * resources (`arn:<partition>:<service>:<region>:<account>:…`), so that no
 * stack needs an AWS call (`aws_caller_identity`) to know them and a plan
 * runs offline.
 */
export interface ArnParts {
  readonly partition: string;
  readonly account: string;
}

/** The partition and account of an ARN, as Terraform expressions. */
export function arnParts(arn: string): ArnParts {
  const parts = Fn.split(':', arn);
  return { partition: Fn.element(parts, 1), account: Fn.element(parts, 4) };
}
