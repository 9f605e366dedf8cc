import { containersOf, podSpecOf, POD_WORKLOAD_TYPES, securityValue } from '../kubernetes-pods';
import { type PolicyRule, blocks, list } from '../policy-rule';

const SECCOMP_TYPES = ['RuntimeDefault', 'Localhost'];

/** A compromised app can change nothing in its container and reach nothing of its node. */
export const k8sHardened: PolicyRule = {
  id: 'K8S-HARDENED',
  reason:
    "Every container must have a read-only root filesystem, drop all capabilities and run under a seccomp profile (RuntimeDefault), and no pod may share the node's network, PID or IPC namespace: set read_only_root_filesystem = true, capabilities { drop = [\"ALL\"] } and seccomp_profile { type = \"RuntimeDefault\" }.",
  appliesTo: POD_WORKLOAD_TYPES,
  check: (element) => {
    const pod = podSpecOf(element);
    const findings: string[] = [];
    for (const field of ['host_network', 'host_pid', 'host_ipc']) if (pod?.[field] === true) findings.push(`the pod sets ${field} = true`);
    for (const { label, config } of containersOf(pod)) {
      if (securityValue(config, undefined, 'read_only_root_filesystem') !== true) findings.push(`${label} has a writable root filesystem`);
      const [capabilities] = blocks(securityValue(config, undefined, 'capabilities'));
      if (!list(capabilities?.drop).includes('ALL')) findings.push(`${label} does not drop "ALL" capabilities`);
      const [seccomp] = blocks(securityValue(config, pod, 'seccomp_profile'));
      if (!SECCOMP_TYPES.includes(String(seccomp?.type))) findings.push(`${label} runs without a seccomp profile`);
    }
    return findings;
  },
};
