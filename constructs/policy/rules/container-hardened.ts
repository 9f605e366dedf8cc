import { type PolicyRule, blocks, list } from '../policy-rule';

const NO_NEW_PRIVILEGES = ['no-new-privileges', 'no-new-privileges:true', 'no-new-privileges=true'];

/** A compromised app can change nothing in its container and gain nothing. */
export const containerHardened: PolicyRule = {
  id: 'CONTAINER-HARDENED',
  reason:
    'A container must have a read-only root filesystem, drop every capability, set no-new-privileges, and share neither privileged mode nor the host\'s network, PID or IPC namespace.',
  appliesTo: ['docker_container'],
  check: ({ config }) => {
    const findings: string[] = [];
    if (config.read_only !== true) findings.push('read_only is not true');
    const [capabilities] = blocks(config.capabilities);
    if (!list(capabilities?.drop).includes('ALL')) findings.push('capabilities.drop does not include "ALL"');
    if (!list(config.security_opts).some((opt) => NO_NEW_PRIVILEGES.includes(String(opt)))) findings.push('security_opts lacks "no-new-privileges:true"');
    if (config.privileged === true) findings.push('privileged is true');
    for (const mode of ['network_mode', 'pid_mode', 'ipc_mode']) if (config[mode] === 'host') findings.push(`${mode} is "host"`);
    return findings;
  },
};
