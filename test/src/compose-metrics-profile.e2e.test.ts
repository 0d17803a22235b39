import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, posix, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

/**
 * The compose file's optional `metrics` profile, checked without a Docker engine: Prometheus
 * scrapes every Tally process on the port that process serves /metrics on, and Grafana is
 * provisioned with a data source the dashboard refers to and the dashboard file of this
 * repository. Each check is one a broken profile fails silently on (empty graphs, not an error).
 */

const ROOT = resolve(import.meta.dirname, '../..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

interface Service {
  build?: { target?: string };
  profiles?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  volumes?: string[];
}
const compose = parse(read('docker-compose.yml'), { merge: true }) as { services: Record<string, Service> };
const services = compose.services;
/** The Tally processes: the services built from this repository's Dockerfile, one target each. */
const tally = Object.entries(services).filter(([, s]) => ['ingress', 'worker', 'admin'].includes(s.build?.target ?? ''));

/** A service's bind mounts of this repository's files: container path → repository path. */
function mounts(service: Service): Map<string, string> {
  return new Map(
    (service.volumes ?? [])
      .filter((v) => v.startsWith('./'))
      .map((v) => {
        const [host, container] = v.split(':');
        return [container!, posix.normalize(host!)];
      }),
  );
}

/** The repository file or directory mounted at `path` in a container, or through a mounted parent. */
function hostPathOf(service: Service, path: string): string | undefined {
  for (const [container, host] of mounts(service)) {
    if (path === container) return host;
    if (path.startsWith(`${container}/`)) return posix.join(host, path.slice(container.length + 1));
  }
  return undefined;
}

describe('docker compose --profile metrics', () => {
  it('gives every Tally process a metrics port on the compose network only', () => {
    expect(tally.map(([name]) => name).sort()).toEqual(['admin', 'ingress', 'worker']);
    for (const [name, service] of tally) {
      const port = service.environment?.METRICS_PORT;
      expect(port, name).toMatch(/^\d+$/);
      expect(service.environment?.METRICS_HOST ?? '0.0.0.0', `${name} must listen beyond loopback for Prometheus`).toBe('0.0.0.0');
      expect(service.environment?.PORT ?? service.environment?.ADMIN_PORT, name).not.toBe(port);
      for (const published of service.ports ?? []) expect(published.split(':').at(-1), `${name} publishes its metrics`).not.toBe(port);
    }
  });

  it('has Prometheus scrape each of them, every replica, on that port', () => {
    const prometheus = services.prometheus!;
    expect(prometheus.profiles).toEqual(['metrics']);
    const configPath = hostPathOf(prometheus, '/etc/prometheus/prometheus.yml');
    expect(configPath, 'the prom/prometheus image reads /etc/prometheus/prometheus.yml').toBeDefined();
    const config = parse(read(configPath!)) as {
      scrape_configs: { job_name: string; dns_sd_configs?: { names: string[]; type: string; port: number }[] }[];
    };
    const targets = config.scrape_configs.flatMap((job) => (job.dns_sd_configs ?? []).flatMap((sd) => sd.names.map((n) => ({ ...sd, n }))));
    for (const target of targets) expect(Object.keys(services), `scrapes ${target.n}, which compose does not run`).toContain(target.n);
    for (const [name, service] of tally) {
      // An A lookup of a service name answers every replica's address (Docker's DNS).
      const scraped = targets.filter((t) => t.n === name);
      expect(scraped, name).toHaveLength(1);
      expect(scraped[0]).toMatchObject({ type: 'A', port: Number(service.environment?.METRICS_PORT) });
    }
  });

  it('provisions Grafana with the Prometheus of the profile and the dashboard of this repository', () => {
    const grafana = services.grafana!;
    expect(grafana.profiles).toEqual(['metrics']);
    const provisioning = hostPathOf(grafana, '/etc/grafana/provisioning');
    expect(provisioning, 'Grafana reads /etc/grafana/provisioning').toBeDefined();
    const yamlIn = (dir: string) =>
      readdirSync(join(ROOT, provisioning!, dir))
        .filter((f) => f.endsWith('.yml'))
        .map((f) => parse(read(posix.join(provisioning!, dir, f))));

    const [datasources] = yamlIn('datasources') as { datasources: { uid: string; type: string; url: string }[] }[];
    const datasource = datasources!.datasources[0]!;
    expect(datasource.type).toBe('prometheus');
    const url = new URL(datasource.url);
    expect(url.hostname).toBe('prometheus');
    expect(url.port).toBe('9090'); // Prometheus's listen port inside its container

    const [dashboards] = yamlIn('dashboards') as { providers: { type: string; options: { path: string } }[] }[];
    const provider = dashboards!.providers[0]!;
    expect(provider.type).toBe('file');
    const home = grafana.environment?.GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH ?? '';
    expect(posix.dirname(home)).toBe(provider.options.path);
    const dashboardFile = hostPathOf(grafana, home);
    expect(dashboardFile).toBe('ops/grafana/tally.json');
    expect(existsSync(join(ROOT, dashboardFile!))).toBe(true);

    const dashboard = JSON.parse(read(dashboardFile!)) as {
      panels: { title: string; datasource?: { uid: string }; targets: { expr: string; datasource?: { uid: string } }[] }[];
    };
    expect(dashboard.panels.length).toBeGreaterThan(0);
    for (const panel of dashboard.panels) {
      expect(panel.datasource?.uid, panel.title).toBe(datasource.uid);
      for (const target of panel.targets) expect(target.datasource?.uid ?? datasource.uid, panel.title).toBe(datasource.uid);
    }
  });
});
