/** The policy rules' messages, as the annotations that fail (or warn in) synthesis show them. */

/** A cdk-nag style policy finding, as the error annotation that fails synthesis shows it. */
export function policyViolation(ruleId: string, reason: string, finding: string): string {
  return `${ruleId}: ${reason} Found: ${finding}. Fix the resource, or suppress the rule on it with suppressPolicy(resource, "${ruleId}", "<why>").`;
}

/** A finding of a warning-level policy rule: shown by `cdktf synth`, synthesis goes on. */
export function policyWarning(ruleId: string, reason: string, finding: string): string {
  return `${ruleId} (warning): ${reason} Found: ${finding}.`;
}

/** A policy suppression without a reason, which would hide a finding unexplained. */
export function suppressionWithoutReason(path: string, ruleId: string): string {
  return `${path}: the suppression of ${ruleId} has no reason; say why the rule does not apply`;
}
