import { type PolicyRule, blocks, expected, isUnresolved } from '../policy-rule';

const positive = (value: unknown) => isUnresolved(value) || (typeof value === 'number' && value > 0) || (typeof value === 'string' && Number(value) > 0);

/** One tenant cannot starve the others on a shared host. */
export const containerLimits: PolicyRule = {
  id: 'CONTAINER-LIMITS',
  reason:
    'A container must have a memory limit, a CPU limit and a process limit (ulimit nproc): tenants share a Docker host, and one without limits can starve every other.',
  appliesTo: ['docker_container'],
  check: ({ config }) => {
    const findings: string[] = [];
    if (!positive(config.memory)) findings.push(expected('memory', config.memory, 'a limit in MB'));
    if (!positive(config.cpus) && !positive(config.cpu_quota)) findings.push(expected('cpus', config.cpus, 'a CPU limit (or cpu_quota)'));
    const nproc = blocks(config.ulimit).find((u) => u.name === 'nproc');
    if (!nproc || !positive(nproc.hard)) findings.push(expected('ulimit nproc', nproc?.hard, 'a hard process limit'));
    return findings;
  },
};
