import { Container } from '@cdktf/provider-docker/lib/container';
import { Image } from '@cdktf/provider-docker/lib/image';
import type { Network } from '@cdktf/provider-docker/lib/network';
import { Volume } from '@cdktf/provider-docker/lib/volume';
import { Construct } from 'constructs';
import { CONTAINER_LOG_MAX_FILES, CONTAINER_LOG_MAX_SIZE, CONTAINER_MAX_RESTARTS } from '../../model/defaults';
import { MONGO_CONTAINER_USER, MONGO_DATA_PATH, MONGO_PORT, MONGO_ROOT_USERNAME, MONGO_TMPFS, mongoHealthcheck, mongodArguments } from '../../model/mongo-defaults';
import type { MongoPlanProfile } from '../../model/mongo-plans';
import { dockerName } from '../../model/naming';

/** Props of {@link MongoContainer}. */
export interface MongoContainerProps {
  readonly tenantKey: string;
  /** Labels on the container and the volume (tenant, plan, the tenant's tags). */
  readonly labels: Readonly<Record<string, string>>;
  /** The `mongo` image, pinned by tag or digest. */
  readonly image: string;
  /** Host port of the database, published on 127.0.0.1 only. */
  readonly port: number;
  /** The tenant's network, which its app container joins too. */
  readonly network: Network;
  /** Memory, CPU, cache, connections and processes by plan. */
  readonly profile: MongoPlanProfile;
  /** The root user's generated password (a Terraform reference, never a literal). */
  readonly rootPassword: string;
  /**
   * `prevent_destroy` on the data volume: only an offboarding tenant may lose it.
   * @default true
   */
  readonly protect?: boolean;
}

/**
 * A MongoDB tenant's own `mongo` container on the shared Docker host: the
 * pinned image, the tenant's own network and its own data volume (which
 * Terraform will not destroy unless the tenant is offboarding), its port
 * published on 127.0.0.1 only (the deploy's runner and people reach it from
 * the host or through an SSH tunnel; the app reaches it by name on the
 * tenant's network), a root user with a generated password created on the
 * first start, `--auth` on (the image adds it when a root user is set), no
 * server-side JavaScript, and connections bounded by plan.
 *
 * Confined like every tenant container: memory and CPU by plan, a process
 * limit, a read-only root filesystem (data on the volume, scratch on tmpfs),
 * every capability dropped, `no-new-privileges`, an init process, logs
 * rotated, a TCP healthcheck and a bounded restart policy. It runs as the
 * image's `mongodb` user (999), not the tenant's own user id: see
 * {@link MONGO_CONTAINER_USER}.
 *
 * The root password is in the container's environment (the image reads it
 * there on the first start only; the README's Docker section says who can
 * read a container's environment and why that is root already). Changing it
 * later changes nothing in the existing data directory: rotate the root
 * password with `db.changeUserPassword` first.
 */
export class MongoContainer extends Construct {
  readonly container: Container;
  readonly volume: Volume;
  /** The container's name on the tenant's network: the app's host. */
  readonly hostname: string;

  constructor(scope: Construct, id: string, props: MongoContainerProps) {
    super(scope, id);
    const protect = props.protect ?? true;
    const labels = Object.entries(props.labels).map(([label, value]) => ({ label, value }));
    const { profile } = props;
    this.hostname = dockerName(props.tenantKey, 'mongo');

    this.volume = new Volume(this, 'Data', { name: dockerName(props.tenantKey, 'mongo-data'), labels, lifecycle: { preventDestroy: protect } });
    const image = new Image(this, 'Image', { name: props.image, keepLocally: true });
    this.container = new Container(this, 'Mongo', {
      name: this.hostname,
      image: image.imageId,
      command: mongodArguments(profile.maxConnections, profile.containerCacheSizeGiB),
      env: [`MONGO_INITDB_ROOT_USERNAME=${MONGO_ROOT_USERNAME}`, `MONGO_INITDB_ROOT_PASSWORD=${props.rootPassword}`],
      ports: [{ internal: MONGO_PORT, external: props.port, ip: '127.0.0.1' }],
      volumes: [{ volumeName: this.volume.name, containerPath: MONGO_DATA_PATH }],
      user: MONGO_CONTAINER_USER,
      readOnly: true,
      tmpfs: { ...MONGO_TMPFS },
      capabilities: { drop: ['ALL'] },
      securityOpts: ['no-new-privileges:true'],
      init: true,
      memory: profile.containerMemoryMiB,
      memorySwap: profile.containerMemoryMiB,
      cpus: String(profile.containerCpus),
      ulimit: [{ name: 'nproc', soft: profile.containerProcessLimit, hard: profile.containerProcessLimit }],
      logDriver: 'json-file',
      logOpts: { 'max-size': CONTAINER_LOG_MAX_SIZE, 'max-file': String(CONTAINER_LOG_MAX_FILES) },
      healthcheck: { test: mongoHealthcheck(), interval: '30s', timeout: '5s', retries: 3, startPeriod: '60s' },
      restart: 'on-failure',
      maxRetryCount: CONTAINER_MAX_RESTARTS,
      // The deploy's runner connects right after: wait until mongod answers.
      wait: true,
      waitTimeout: 120,
      networksAdvanced: [{ name: props.network.name }],
      labels,
    });
  }
}
