import { Container, type ContainerConfig } from '@cdktf/provider-docker/lib/container';
import { Image } from '@cdktf/provider-docker/lib/image';
import { Network } from '@cdktf/provider-docker/lib/network';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import {
  API_CONTAINER_PORT,
  API_TMPFS,
  CONTAINER_LOG_MAX_FILES,
  CONTAINER_LOG_MAX_SIZE,
  CONTAINER_MAX_RESTARTS,
  FRONTEND_CONTAINER_PORT,
  FRONTEND_CPUS,
  FRONTEND_MEMORY_MIB,
  FRONTEND_TMPFS,
  tcpHealthcheck,
} from '../../model/defaults';
import { dockerName } from '../../model/naming';

/** What one container of a tenant may use of the shared host. */
export interface ContainerLimits {
  /** Memory limit; swap is not allowed beyond it. */
  readonly memoryMiB: number;
  /** CPUs, e.g. 0.5. */
  readonly cpus: number;
}

/** Props of {@link DockerApp}. */
export interface DockerAppProps {
  readonly tenantKey: string;
  /** Labels on every container and the network (tenant, plan, the tenant's tags). */
  readonly labels: Readonly<Record<string, string>>;
  /** API image, pinned by tag or digest. */
  readonly image: string;
  /** Host port of the API. */
  readonly port: number;
  /** The API's environment; values may be Terraform tokens (secrets are). */
  readonly environment: Readonly<Record<string, string>>;
  /** Memory and CPU of the API container (the plan's, or the tenant's override). */
  readonly limits: ContainerLimits;
  /** Processes and threads the tenant's user may run on the host (`ulimit nproc`), API and frontend together. */
  readonly processLimit: number;
  /** The tenant's own non-root user id (`naming.dockerUserId`); the containers run as `<id>:<id>`. */
  readonly userId: number;
  /**
   * Frontend container pointed at this API.
   * @default - none
   */
  readonly frontend?: { readonly image: string; readonly port: number };
  /**
   * Host address the ports are published on.
   * @default "127.0.0.1" - reachable from the host only; put a proxy in front
   */
  readonly bindAddress?: string;
  /** Start containers only after these (the migrations). */
  readonly dependsOn: readonly ITerraformDependable[];
  /**
   * The tenant's network, when another of its containers (a MongoDB tenant's database) is on it too.
   * @default - a new network `usualstore-<key>-network`
   */
  readonly network?: Network;
}

/**
 * The store app of a docker tenant: the shared API image (and optionally the
 * frontend) as containers on the tenant's own network, labelled with tenant
 * and plan. The Docker host comes from `DOCKER_HOST`.
 *
 * Tenants share the host, so each container is confined: memory (no swap
 * beyond it) and CPU limits by plan, a process limit on the tenant's own
 * user id, a read-only root filesystem with a small tmpfs, every capability
 * dropped, `no-new-privileges`, an init process reaping zombies, logs
 * rotated at 10 MB × 3, a TCP healthcheck (the API has no health endpoint),
 * and a restart policy that gives up after {@link CONTAINER_MAX_RESTARTS}
 * failures in a row instead of crash-looping forever.
 *
 * The API's secrets (`DATABASE_DSN`, `STRIPE_SECRET`, `SECRET_FOR_FRONT`,
 * `SMTP_PASSWORD`) stay in the container's environment: the store app reads
 * its configuration from environment variables only. Who can read them
 * there (`docker inspect`, `docker exec`) holds the Docker API, which is
 * root on the host and could read a mounted secret file just as well; see
 * the README's Docker section for the reasoning and what protects them.
 */
export class DockerApp extends Construct {
  readonly api: Container;
  readonly frontend?: Container;
  readonly network: Network;

  constructor(scope: Construct, id: string, props: DockerAppProps) {
    super(scope, id);
    const bindAddress = props.bindAddress ?? '127.0.0.1';
    const labels = Object.entries(props.labels).map(([label, value]) => ({ label, value }));
    const confined = (limits: ContainerLimits, port: number, tmpfs: Readonly<Record<string, string>>): Partial<ContainerConfig> => ({
      user: `${props.userId}:${props.userId}`,
      readOnly: true,
      tmpfs: { ...tmpfs },
      capabilities: { drop: ['ALL'] },
      securityOpts: ['no-new-privileges:true'],
      init: true,
      memory: limits.memoryMiB,
      memorySwap: limits.memoryMiB,
      cpus: String(limits.cpus),
      ulimit: [{ name: 'nproc', soft: props.processLimit, hard: props.processLimit }],
      logDriver: 'json-file',
      logOpts: { 'max-size': CONTAINER_LOG_MAX_SIZE, 'max-file': String(CONTAINER_LOG_MAX_FILES) },
      healthcheck: { test: tcpHealthcheck(port), interval: '30s', timeout: '5s', retries: 3, startPeriod: '30s' },
      restart: 'on-failure',
      maxRetryCount: CONTAINER_MAX_RESTARTS,
      networksAdvanced: [{ name: this.network.name }],
      labels,
    });

    this.network = props.network ?? new Network(this, 'Network', { name: dockerName(props.tenantKey, 'network'), labels });
    const apiImage = new Image(this, 'ApiImage', { name: props.image, keepLocally: true });
    this.api = new Container(this, 'Api', {
      name: dockerName(props.tenantKey, 'api'),
      image: apiImage.imageId,
      env: Object.entries(props.environment).map(([key, value]) => `${key}=${value}`),
      ports: [{ internal: API_CONTAINER_PORT, external: props.port, ip: bindAddress }],
      // Lets the container reach a database on the Docker host as host.docker.internal.
      host: [{ host: 'host.docker.internal', ip: 'host-gateway' }],
      ...confined(props.limits, API_CONTAINER_PORT, API_TMPFS),
      dependsOn: [...props.dependsOn],
    });

    if (props.frontend) {
      const frontendImage = new Image(this, 'FrontendImage', { name: props.frontend.image, keepLocally: true });
      this.frontend = new Container(this, 'Frontend', {
        name: dockerName(props.tenantKey, 'frontend'),
        image: frontendImage.imageId,
        // The frontend signs with the secret the API checks.
        env: [`API_URL=http://localhost:${props.port}`, `SECRET_FOR_FRONT=${props.environment.SECRET_FOR_FRONT}`],
        ports: [{ internal: FRONTEND_CONTAINER_PORT, external: props.frontend.port, ip: bindAddress }],
        // Its web server listens on port 80 without root and without NET_BIND_SERVICE.
        sysctls: { 'net.ipv4.ip_unprivileged_port_start': '0' },
        ...confined({ memoryMiB: FRONTEND_MEMORY_MIB, cpus: FRONTEND_CPUS }, FRONTEND_CONTAINER_PORT, FRONTEND_TMPFS),
        dependsOn: [this.api],
      });
    }
  }
}
