import { containersOf, podSpecOf, POD_WORKLOAD_TYPES, securityValue } from '../kubernetes-pods';
import { type PolicyRule, isUnresolved } from '../policy-rule';

/** No container runs as root or can become it. */
export const k8sNonRoot: PolicyRule = {
  id: 'K8S-NON-ROOT',
  reason:
    'No container may be privileged, run as root or gain privileges: set security_context run_as_non_root = true and a run_as_user other than 0 (on the pod or the container), allow_privilege_escalation = false, and leave privileged off.',
  appliesTo: POD_WORKLOAD_TYPES,
  check: (element) => {
    const pod = podSpecOf(element);
    return containersOf(pod).flatMap(({ label, config }) => {
      const findings: string[] = [];
      const value = (field: string) => securityValue(config, pod, field);
      const own = (field: string) => securityValue(config, undefined, field);
      if (own('privileged') === true) findings.push(`${label} is privileged`);
      if (own('allow_privilege_escalation') !== false && !isUnresolved(own('allow_privilege_escalation'))) findings.push(`${label} does not set allow_privilege_escalation = false`);
      if (value('run_as_non_root') !== true && !isUnresolved(value('run_as_non_root'))) findings.push(`${label} does not set run_as_non_root = true`);
      if (String(value('run_as_user')) === '0') findings.push(`${label} runs as user 0 (root)`);
      return findings;
    });
  },
};
