import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ScaledObject } from '@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject';
import { apiEnvSchema } from '@sluice/api';
import { baseEnvSchema, type z } from '@sluice/config';
import { extractorService } from '@sluice/extractor';
import { fetcherEnvSchema, fetcherService } from '@sluice/fetcher';
import { indexerService } from '@sluice/indexer';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const overlaysDir = join(repoRoot, 'infra', 'k8s', 'overlays');
const overlays = readdirSync(overlaysDir);

interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
  // biome-ignore lint/suspicious/noExplicitAny: rendered YAML, checked field by field below
  spec?: any;
  data?: Record<string, string>;
  stringData?: Record<string, string>;
}

/** The model class (with its JSON schema) for every kind the manifests may hold. */
const models: Record<string, new (data: never) => { validate(): void }> = {
  'apps/v1/Deployment': Deployment,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'v1/ConfigMap': ConfigMap,
  'v1/Namespace': Namespace,
  'v1/Secret': Secret,
  'v1/Service': Service,
  'keda.sh/v1alpha1/ScaledObject': ScaledObject,
};

/** Each service's environment schema and whether it needs the index. */
const services: Record<string, { schema: z.ZodObject<z.ZodRawShape>; needsDatabase: boolean }> = {
  fetcher: { schema: fetcherEnvSchema, needsDatabase: fetcherService.needsDatabase },
  extractor: { schema: baseEnvSchema, needsDatabase: extractorService.needsDatabase },
  indexer: { schema: baseEnvSchema, needsDatabase: indexerService.needsDatabase },
  api: { schema: apiEnvSchema, needsDatabase: true },
};

const kubectlReason = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).error
  ? 'kubectl is not on PATH (Debian: apt-get install kubernetes-client), so kustomize cannot render'
  : null;
if (kubectlReason) console.warn(`skipping Kubernetes manifest checks: ${kubectlReason}`);

function render(overlay: string): Manifest[] {
  const yaml = execFileSync('kubectl', ['kustomize', join(overlaysDir, overlay)], { encoding: 'utf8' });
  const manifests = parseAllDocuments(yaml).map((document) => document.toJSON() as Manifest);
  // kustomize wraps long base64 values over lines, which the API server accepts and the schema's
  // strict "byte" format does not: compare them unwrapped.
  for (const manifest of manifests) {
    if (manifest.kind !== 'Secret' || !manifest.data) continue;
    for (const key of Object.keys(manifest.data))
      manifest.data[key] = manifest.data[key]!.replace(/\s+/g, '');
  }
  return manifests;
}

function find(manifests: Manifest[], kind: string, name: string): Manifest {
  const found = manifests.find((manifest) => manifest.kind === kind && manifest.metadata.name === name);
  if (!found) throw new Error(`${kind} ${name} is missing`);
  return found;
}

/** The variables a container gets: its own `env` plus every key of the ConfigMaps it loads. */
function containerEnvironment(manifests: Manifest[], deployment: Manifest): Map<string, string | null> {
  const container = deployment.spec.template.spec.containers[0];
  const environment = new Map<string, string | null>();
  for (const source of container.envFrom ?? []) {
    const configMap = find(manifests, 'ConfigMap', source.configMapRef.name);
    for (const [key, value] of Object.entries(configMap.data ?? {})) environment.set(key, value);
  }
  for (const variable of container.env ?? []) environment.set(variable.name, variable.value ?? null);
  return environment;
}

describe.skipIf(kubectlReason !== null)('Kubernetes manifests', () => {
  it.each(overlays)('%s renders into objects that pass the Kubernetes and KEDA schemas', (overlay) => {
    const manifests = render(overlay);
    expect(manifests.length).toBeGreaterThan(10);
    for (const manifest of manifests) {
      const Model = models[`${manifest.apiVersion}/${manifest.kind}`];
      expect(Model, `${manifest.apiVersion} ${manifest.kind} has no schema here`).toBeDefined();
      expect(() =>
        new (Model as new (data: Manifest) => { validate(): void })(manifest).validate(),
      ).not.toThrow();
    }
  });

  it.each(overlays)('%s: every service is deployed safely and gets every variable it needs', (overlay) => {
    const manifests = render(overlay);
    for (const [name, service] of Object.entries(services)) {
      const deployment = find(manifests, 'Deployment', `sluice-${name}`);
      const pod = deployment.spec.template.spec;
      const container = pod.containers[0];
      const environment = containerEnvironment(manifests, deployment);

      // Shutdown: the pod outlives the service's own drain.
      const shutdownMs = Number(environment.get('SHUTDOWN_TIMEOUT_MS') ?? 25_000);
      expect(pod.terminationGracePeriodSeconds * 1000).toBeGreaterThan(shutdownMs);
      // Non-root, no privilege escalation.
      expect(pod.securityContext.runAsNonRoot).toBe(true);
      expect(container.securityContext.allowPrivilegeEscalation).toBe(false);
      // Requests and limits on both resources.
      for (const bound of ['requests', 'limits']) {
        expect(container.resources[bound].cpu, `${name} ${bound}.cpu`).toBeDefined();
        expect(container.resources[bound].memory, `${name} ${bound}.memory`).toBeDefined();
      }
      // Probes on the health endpoints the service serves, on the port it listens on.
      expect(container.readinessProbe.httpGet.path).toBe('/readyz');
      expect(container.livenessProbe.httpGet.path).toBe('/healthz');
      const probePort = container.ports.find(
        (port: { name: string }) => port.name === container.readinessProbe.httpGet.port,
      ).containerPort;
      const listenPort = name === 'api' ? environment.get('PORT') : environment.get('HEALTH_PORT');
      expect(String(probePort)).toBe(listenPort);
      expect(environment.get('HOST')).toBe('0.0.0.0');

      // Every variable the service's schema requires (no default, not optional) is set, and the
      // ones with a laptop default that is wrong in a cluster are set too.
      const shape = service.schema.shape;
      const required = Object.keys(shape).filter((key) => !(shape[key] as z.ZodTypeAny).isOptional());
      const clusterRequired = ['REDIS_URL', ...(service.needsDatabase ? ['DATABASE_URL'] : [])];
      if (name === 'api') clusterRequired.push('DASHBOARD_USER', 'DASHBOARD_PASSWORD');
      for (const key of [...required, ...clusterRequired]) {
        expect(environment.has(key), `${name} needs ${key}`).toBe(true);
      }
      // And nothing is set that the service does not read (a typo would be ignored silently).
      for (const key of environment.keys()) expect(Object.keys(shape), `${name} reads ${key}`).toContain(key);
      // The values given must pass the service's own validation.
      const values = Object.fromEntries(
        [...environment].map(([key, value]) => [key, value ?? 'redis://placeholder.invalid:6379']),
      );
      if (name === 'api')
        Object.assign(values, { DASHBOARD_USER: 'sluice', DASHBOARD_PASSWORD: 'long-enough' });
      if (service.needsDatabase) values.DATABASE_URL = 'postgres://sluice@db.invalid/sluice';
      expect(service.schema.safeParse(values).error).toBeUndefined();

      // Secrets come from the one Secret, and the overlay that creates it has every key.
      const secret = manifests.find((manifest) => manifest.kind === 'Secret');
      for (const variable of container.env ?? []) {
        if (!variable.valueFrom) continue;
        expect(variable.valueFrom.secretKeyRef.name).toBe('sluice-secrets');
        if (secret) expect(Object.keys(secret.data ?? {})).toContain(variable.valueFrom.secretKeyRef.key);
      }

      // A disruption budget covers the pods.
      const budget = find(manifests, 'PodDisruptionBudget', `sluice-${name}`);
      expect(budget.spec.selector.matchLabels).toEqual(deployment.spec.selector.matchLabels);
    }
  });

  it.each(overlays)('%s: workers scale on their backlog, the API on CPU', (overlay) => {
    const manifests = render(overlay);
    const stageQueue: Record<string, string> = { fetcher: 'fetch', extractor: 'extract', indexer: 'index' };
    for (const [name, queue] of Object.entries(stageQueue)) {
      const scaler = find(manifests, 'ScaledObject', `sluice-${name}`);
      expect(scaler.spec.scaleTargetRef.name).toBe(`sluice-${name}`);
      expect(scaler.spec.minReplicaCount).toBeGreaterThanOrEqual(1);
      const query: string = scaler.spec.triggers[0].metadata.query;
      expect(query).toContain(`queue="${queue}"`);
      // BullMQ keeps prioritized and delayed jobs outside the wait list: all three count.
      for (const state of ['waiting', 'prioritized', 'delayed']) expect(query).toContain(state);
    }
    const autoscaler = find(manifests, 'HorizontalPodAutoscaler', 'sluice-api');
    expect(autoscaler.spec.metrics[0].resource.name).toBe('cpu');
  });
});
