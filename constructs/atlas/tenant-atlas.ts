import { AdvancedCluster } from '@cdktf/provider-mongodbatlas/lib/advanced-cluster';
import { CloudBackupSchedule } from '@cdktf/provider-mongodbatlas/lib/cloud-backup-schedule';
import { Project } from '@cdktf/provider-mongodbatlas/lib/project';
import { ProjectIpAccessList } from '@cdktf/provider-mongodbatlas/lib/project-ip-access-list';
import { Fn } from 'cdktf';
import { Construct } from 'constructs';
import type { AtlasSettings } from '../../tenants/registry';
import { ATLAS_FREE_TIER, type AtlasTier, type MongoPlanProfile } from '../../model/mongo-plans';
import { atlasClusterName, atlasProjectName } from '../../model/naming';
import { AtlasPrivateEndpoint } from './atlas-private-endpoint';

/** Props of {@link TenantAtlas}. */
export interface TenantAtlasProps {
  readonly tenantKey: string;
  /** The tenant's Atlas settings, tier resolved. */
  readonly atlas: Omit<AtlasSettings, 'tier'> & { readonly tier: AtlasTier };
  /** Backups and their retention by plan. */
  readonly profile: MongoPlanProfile;
  /** Tags on the project and the cluster (tenant, plan, the tenant's own). */
  readonly tags: Readonly<Record<string, string>>;
  /**
   * Termination protection and `prevent_destroy` on the cluster (and a project this stack creates).
   * Lifted only while the tenant is offboarding.
   * @default true
   */
  readonly protect?: boolean;
}

/**
 * A MongoDB tenant's place on Atlas: a project of its own (or the existing
 * one its file names, which no other tenant may name), in which database
 * users, the IP access list, private endpoints, alerts and audit are all
 * scoped, so that one tenant's network access or users can never reach
 * another's cluster; a replica-set cluster on AWS of the plan's tier, with
 * termination protection, no server-side JavaScript and TLS 1.2 or later;
 * cloud backups for paid plans (a daily snapshot kept by plan, and
 * point-in-time restore from professional up); and either an IP access list
 * or a private endpoint from the Docker host's VPC.
 */
export class TenantAtlas extends Construct {
  readonly projectId: string;
  readonly project?: Project;
  readonly cluster: AdvancedCluster;
  /** The cluster's host for `mongodb+srv://` (through the private endpoint when there is one). */
  readonly srvHost: string;

  constructor(scope: Construct, id: string, props: TenantAtlasProps) {
    super(scope, id);
    const protect = props.protect ?? true;
    const { atlas, profile } = props;
    const tags = Object.entries(props.tags).map(([key, value]) => ({ key, value }));
    if (atlas.projectId) {
      this.projectId = atlas.projectId;
    } else {
      this.project = new Project(this, 'Project', {
        name: atlasProjectName(props.tenantKey),
        orgId: atlas.organizationId,
        withDefaultAlertsSettings: true,
        tags: { ...props.tags },
        lifecycle: { preventDestroy: protect },
      });
      this.projectId = this.project.id;
    }

    // Linked before the cluster is created, so that the cluster's private-endpoint connection string exists when it is read.
    const endpoint = atlas.privateEndpoint
      ? new AtlasPrivateEndpoint(this, 'PrivateEndpoint', { tenantKey: props.tenantKey, projectId: this.projectId, region: atlas.region, settings: atlas.privateEndpoint })
      : undefined;
    const free = atlas.tier === ATLAS_FREE_TIER;
    const backups = profile.atlasBackups && !free;
    this.cluster = new AdvancedCluster(this, 'Cluster', {
      projectId: this.projectId,
      name: atlasClusterName(props.tenantKey),
      clusterType: 'REPLICASET',
      backupEnabled: backups,
      pitEnabled: backups && profile.atlasPointInTime,
      terminationProtectionEnabled: protect,
      advancedConfiguration: { javascriptEnabled: false, minimumEnabledTlsProtocol: 'TLS1_2' },
      replicationSpecs: [
        {
          regionConfigs: [
            free
              ? { providerName: 'TENANT', backingProviderName: 'AWS', regionName: atlas.region, priority: 7, electableSpecs: { instanceSize: atlas.tier } }
              : { providerName: 'AWS', regionName: atlas.region, priority: 7, electableSpecs: { instanceSize: atlas.tier, nodeCount: 3 } },
          ],
        },
      ],
      tags,
      lifecycle: { preventDestroy: protect },
      ...(endpoint && { dependsOn: [endpoint.endpointService] }),
    });
    if (backups) {
      new CloudBackupSchedule(this, 'BackupSchedule', {
        projectId: this.projectId,
        clusterName: this.cluster.name,
        ...(profile.atlasPointInTime && { restoreWindowDays: profile.backupRetentionDays }),
        policyItemDaily: { frequencyInterval: 1, retentionUnit: 'days', retentionValue: profile.backupRetentionDays },
      });
    }

    const connection = this.cluster.connectionStrings.get(0);
    if (endpoint) {
      this.srvHost = Fn.replace(connection.privateEndpoint.get(0).srvConnectionString, 'mongodb+srv://', '');
    } else {
      (atlas.ipAccessList ?? []).forEach((cidr, index) => {
        new ProjectIpAccessList(this, `AccessList${index}`, { projectId: this.projectId, cidrBlock: cidr, comment: `${props.tenantKey}: Docker host or deploy machine` });
      });
      this.srvHost = Fn.replace(connection.standardSrv, 'mongodb+srv://', '');
    }
  }
}
