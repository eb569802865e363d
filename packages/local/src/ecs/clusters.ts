import type {
  Cluster,
  CreateClusterRequest,
  CreateClusterResponse,
  DescribeClustersRequest,
  DescribeClustersResponse,
  ListClustersRequest,
  ListClustersResponse,
} from '@aws-sdk/client-ecs';
import type { EcsClusterRecord, EcsState } from '../state/compute-records.js';
import { nameTable } from '../state/index.js';
import type { OperationTable } from '../wire/operation.js';
import { clusterArn, clusterNameOf } from './arns.js';
import type { EcsContext, EcsScope } from './context.js';
import { clusterNotFound, invalidParameter } from './errors.js';
import { listPage } from './paging.js';

/** Clusters named in a request default to `default`, as ECS's do. */
export const DEFAULT_CLUSTER = 'default';
const CLUSTER_NAME = /^[a-zA-Z0-9_-]{1,255}$/;

/** Creates the cluster unless it exists (CreateCluster is idempotent). Call inside `store.update`. */
export function ensureCluster(state: EcsState, scope: EcsScope, name: string): EcsClusterRecord {
  if (!CLUSTER_NAME.test(name)) {
    throw invalidParameter(
      'Cluster name is invalid: up to 255 letters (uppercase and lowercase), numbers, underscores, and hyphens are allowed.',
    );
  }
  const cluster = state.clusters[name] ?? {
    clusterArn: clusterArn(scope, name),
    clusterName: name,
    services: nameTable(),
  };
  state.clusters[name] = cluster;
  return cluster;
}

/** The cluster a request names (name or ARN, default `default`); ClusterNotFoundException when unknown. */
export function clusterRecord(state: EcsState, cluster: string | undefined): EcsClusterRecord {
  const found = state.clusters[clusterNameOf(cluster || DEFAULT_CLUSTER)];
  if (!found) throw clusterNotFound();
  return found;
}

/** The cluster as DescribeClusters shows it, its counts from its services. */
export function clusterView(record: EcsClusterRecord): Cluster {
  const services = Object.values(record.services).filter((service) => service.status === 'ACTIVE');
  return {
    clusterArn: record.clusterArn,
    clusterName: record.clusterName,
    status: 'ACTIVE',
    registeredContainerInstancesCount: 0,
    runningTasksCount: services.reduce((sum, service) => sum + (service.runningCount ?? 0), 0),
    pendingTasksCount: services.reduce((sum, service) => sum + (service.pendingCount ?? 0), 0),
    activeServicesCount: services.length,
    statistics: [],
    tags: [],
    settings: [{ name: 'containerInsights', value: 'disabled' }],
    capacityProviders: [],
    defaultCapacityProviderStrategy: [],
  };
}

function createCluster(input: CreateClusterRequest, context: EcsContext): CreateClusterResponse {
  const name = input.clusterName || DEFAULT_CLUSTER;
  const record = context.store.update((state) => ensureCluster(state.ecs, context, name));
  return { cluster: clusterView(record) };
}

function describeClusters(input: DescribeClustersRequest, context: EcsContext): DescribeClustersResponse {
  const names = input.clusters && input.clusters.length > 0 ? input.clusters : [DEFAULT_CLUSTER];
  const response: Required<Pick<DescribeClustersResponse, 'clusters' | 'failures'>> = {
    clusters: [],
    failures: [],
  };
  for (const name of names) {
    const record = context.store.state.ecs.clusters[clusterNameOf(name)];
    if (record) response.clusters.push(clusterView(record));
    else
      response.failures.push({
        arn: name.startsWith('arn:') ? name : clusterArn(context, name),
        reason: 'MISSING',
      });
  }
  return response;
}

/** ListClusters: cluster ARNs in name order, 100 a page unless maxResults says fewer. */
function listClusters(input: ListClustersRequest, context: EcsContext): ListClustersResponse {
  const arns = Object.values(context.store.state.ecs.clusters)
    .map((record) => record.clusterArn)
    .sort();
  const { items, nextToken } = listPage(arns, input, 100);
  return { clusterArns: items, ...(nextToken ? { nextToken } : {}) };
}

export const clusterOperations: OperationTable<EcsContext> = {
  CreateCluster: createCluster,
  DescribeClusters: describeClusters,
  ListClusters: listClusters,
};
