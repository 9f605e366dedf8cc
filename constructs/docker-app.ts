import { Container } from '@cdktf/provider-docker/lib/container';
import { Image } from '@cdktf/provider-docker/lib/image';
import { Network } from '@cdktf/provider-docker/lib/network';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { API_CONTAINER_PORT, FRONTEND_CONTAINER_PORT } from './defaults';
import { dockerName } from './naming';

/** Props of {@link DockerApp}. */
export interface DockerAppProps {
  readonly tenantKey: string;
  /** Labels on every container and the network (tenant, plan, the tenant's tags). */
  readonly labels: Readonly<Record<string, string>>;
  /** API image, pinned. */
  readonly image: string;
  /** Host port of the API. */
  readonly port: number;
  /** The API's environment; values may be Terraform tokens (secrets are). */
  readonly environment: Readonly<Record<string, string>>;
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
}

/**
 * The store app of a docker tenant: the shared API image (and optionally the
 * frontend) as containers on the tenant's own network, restarted unless
 * stopped, labelled with tenant and plan. The Docker host comes from
 * `DOCKER_HOST`.
 */
export class DockerApp extends Construct {
  readonly api: Container;
  readonly frontend?: Container;
  readonly network: Network;

  constructor(scope: Construct, id: string, props: DockerAppProps) {
    super(scope, id);
    const bindAddress = props.bindAddress ?? '127.0.0.1';
    const labels = Object.entries(props.labels).map(([label, value]) => ({ label, value }));

    this.network = new Network(this, 'Network', { name: dockerName(props.tenantKey, 'network'), labels });
    const apiImage = new Image(this, 'ApiImage', { name: props.image, keepLocally: true });
    this.api = new Container(this, 'Api', {
      name: dockerName(props.tenantKey, 'api'),
      image: apiImage.imageId,
      restart: 'unless-stopped',
      env: Object.entries(props.environment).map(([key, value]) => `${key}=${value}`),
      ports: [{ internal: API_CONTAINER_PORT, external: props.port, ip: bindAddress }],
      networksAdvanced: [{ name: this.network.name }],
      // Lets the container reach a database on the Docker host as host.docker.internal.
      host: [{ host: 'host.docker.internal', ip: 'host-gateway' }],
      labels,
      dependsOn: [...props.dependsOn],
    });

    if (props.frontend) {
      const frontendImage = new Image(this, 'FrontendImage', { name: props.frontend.image, keepLocally: true });
      this.frontend = new Container(this, 'Frontend', {
        name: dockerName(props.tenantKey, 'frontend'),
        image: frontendImage.imageId,
        restart: 'unless-stopped',
        // The frontend signs with the secret the API checks.
        env: [`API_URL=http://localhost:${props.port}`, `SECRET_FOR_FRONT=${props.environment.SECRET_FOR_FRONT}`],
        ports: [{ internal: FRONTEND_CONTAINER_PORT, external: props.frontend.port, ip: bindAddress }],
        networksAdvanced: [{ name: this.network.name }],
        labels,
        dependsOn: [this.api],
      });
    }
  }
}
