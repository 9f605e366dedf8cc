import { type PolicyRule, expected, isUnresolved } from '../policy-rule';

/** The app never runs as root. */
export const containerNonRoot: PolicyRule = {
  id: 'CONTAINER-NON-ROOT',
  reason: "A container must run as a non-root user (user = \"<uid>:<gid>\"), so a flaw in the app is not root in the container, nor on the host after an escape.",
  appliesTo: ['docker_container'],
  check: ({ config }) => {
    const user = config.user;
    if (isUnresolved(user)) return [];
    const [name] = String(user ?? '').split(':');
    return typeof user === 'string' && name !== '' && name !== '0' && name !== 'root' ? [] : [expected('user', user, 'a user other than root, e.g. "10001:10001"')];
  },
};
