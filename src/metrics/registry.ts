import { monitorEventLoopDelay } from 'node:perf_hooks';

/**
 * A small Prometheus registry: counters and histograms with labels, rendered in the text exposition
 * format. Enough for request and job metrics without another dependency.
 */
type Labels = Record<string, string>;

const labelKey = (labels: Labels) =>
  Object.keys(labels)
    .sort()
    .map((k) => `${k}="${String(labels[k]).replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`)
    .join(',');

interface Metric {
  render(): string[];
}

export class Counter implements Metric {
  private readonly values = new Map<string, number>();
  constructor(readonly name: string, readonly help: string) {}

  inc(labels: Labels = {}, by = 1): void {
    const key = labelKey(labels);
    this.values.set(key, (this.values.get(key) ?? 0) + by);
  }

  render(): string[] {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} counter`];
    for (const [key, v] of this.values) lines.push(`${this.name}${key ? `{${key}}` : ''} ${v}`);
    return lines;
  }
}

export class Histogram implements Metric {
  private readonly series = new Map<string, { counts: number[]; sum: number; count: number }>();
  constructor(
    readonly name: string,
    readonly help: string,
    readonly buckets: readonly number[] = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  ) {}

  observe(labels: Labels, value: number): void {
    const key = labelKey(labels);
    let s = this.series.get(key);
    if (!s) {
      s = { counts: this.buckets.map(() => 0), sum: 0, count: 0 };
      this.series.set(key, s);
    }
    this.buckets.forEach((b, i) => {
      if (value <= b) s!.counts[i]! += 1;
    });
    s.sum += value;
    s.count += 1;
  }

  render(): string[] {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    for (const [key, s] of this.series) {
      const sep = key ? `${key},` : '';
      this.buckets.forEach((b, i) => lines.push(`${this.name}_bucket{${sep}le="${b}"} ${s.counts[i]}`));
      lines.push(`${this.name}_bucket{${sep}le="+Inf"} ${s.count}`);
      lines.push(`${this.name}_sum${key ? `{${key}}` : ''} ${s.sum}`);
      lines.push(`${this.name}_count${key ? `{${key}}` : ''} ${s.count}`);
    }
    return lines;
  }
}

export class Gauge implements Metric {
  constructor(
    readonly name: string,
    readonly help: string,
    private readonly collect: () => Promise<Array<[Labels, number]>> | Array<[Labels, number]>,
  ) {}
  private last: Array<[Labels, number]> = [];

  async refresh(): Promise<void> {
    this.last = await this.collect();
  }

  render(): string[] {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} gauge`];
    for (const [labels, v] of this.last) {
      const key = labelKey(labels);
      lines.push(`${this.name}${key ? `{${key}}` : ''} ${v}`);
    }
    return lines;
  }
}

export class MetricsRegistry {
  private readonly metrics: Metric[] = [];

  register<M extends Metric>(metric: M): M {
    this.metrics.push(metric);
    return metric;
  }

  async render(): Promise<string> {
    await Promise.all(this.metrics.map((m) => (m instanceof Gauge ? m.refresh().catch(() => undefined) : undefined)));
    return this.metrics.flatMap((m) => m.render()).join('\n') + '\n';
  }
}

/**
 * How late this thread's event loop ran since the last scrape (p50, p99, max), reset on every scrape as
 * prom-client's nodejs_eventloop_lag_* are: the time the thread serving HTTP was kept from answering, apart from
 * what a busy machine adds before a request reaches it. The resolution (10 ms) is included in each sample.
 */
function eventLoopDelay(): Gauge {
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  return new Gauge('clinote_event_loop_delay_seconds', 'Event loop delay since the last scrape by quantile (1 = max)', () => {
    const quantiles: Array<[Labels, number]> = [
      [{ quantile: '0.5' }, delay.percentile(50) / 1e9],
      [{ quantile: '0.99' }, delay.percentile(99) / 1e9],
      [{ quantile: '1' }, delay.max / 1e9],
    ];
    delay.reset();
    return quantiles;
  });
}

/** The metrics every Clinote process exposes. */
export function createMetrics() {
  const registry = new MetricsRegistry();
  registry.register(eventLoopDelay());
  return {
    registry,
    httpRequests: registry.register(new Counter('clinote_http_requests_total', 'HTTP requests by route, method and status')),
    httpDuration: registry.register(new Histogram('clinote_http_request_duration_seconds', 'HTTP request duration by route')),
    jobs: registry.register(new Counter('clinote_jobs_total', 'Job attempts by name and outcome')),
    jobDuration: registry.register(new Histogram('clinote_job_duration_seconds', 'Job duration by name', [0.01, 0.05, 0.1, 0.5, 1, 5, 30, 120])),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
