import { type PolicyRule } from '../policy-rule';

/** Drivers that write to the host's disk and rotate only when told. */
const FILE_DRIVERS = [undefined, 'json-file', 'local'];

/** A chatty tenant cannot fill the shared disk. */
export const containerLogRotation: PolicyRule = {
  id: 'CONTAINER-LOG-ROTATION',
  reason: "A container logging to the host's disk must rotate its logs (log_opts max-size and max-file), so one chatty tenant cannot fill the disk every tenant shares.",
  appliesTo: ['docker_container'],
  check: ({ config }) => {
    if (!FILE_DRIVERS.includes(config.log_driver as string | undefined)) return [];
    const opts = (config.log_opts as Record<string, unknown> | undefined) ?? {};
    return ['max-size', 'max-file'].filter((opt) => !opts[opt]).map((opt) => `log_opts lacks ${opt}`);
  },
};
