import cluster, { type Worker } from 'node:cluster';
import { AggregatorRegistry, type MetricObjectWithValues, type MetricValue, type Registry } from 'prom-client';
import type { Logger } from 'pino';

type MetricsJson = MetricObjectWithValues<MetricValue<string>>[];

const REQUEST = 'provd:metrics-request';
const ANSWER = 'provd:metrics-answer';

interface MetricsRequest {
  type: typeof REQUEST;
  id: number;
}
interface MetricsAnswer {
  type: typeof ANSWER;
  id: number;
  metrics: MetricsJson;
}

function isMessage<T extends { type: string }>(message: unknown, type: T['type']): message is T {
  return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === type;
}

/** In a phone process of a cluster: answers the primary's metric requests with this registry. */
export function answerMetricsRequests(registry: Registry): void {
  process.on('message', (message: unknown) => {
    if (!isMessage<MetricsRequest>(message, REQUEST)) return;
    registry.getMetricsAsJSON().then(
      (metrics) => process.send?.({ type: ANSWER, id: message.id, metrics } satisfies MetricsAnswer),
      () => process.send?.({ type: ANSWER, id: message.id, metrics: [] } satisfies MetricsAnswer),
    );
  });
}

/**
 * /metrics of a cluster primary: its own registry plus every connected phone process's, merged
 * with prom-client's cluster aggregation (counters and histograms summed per label set). The
 * phone processes share one `process` label, so their request counts add up to the phone
 * server's; the primary's own series keep theirs. A process that does not answer within
 * `timeoutMs` (busy, just died) is left out of that scrape.
 */
export class ClusterMetrics {
  private nextId = 0;

  constructor(
    private readonly registry: Registry,
    private readonly logger: Logger,
    private readonly timeoutMs = 2000,
  ) {}

  async text(): Promise<string> {
    const workers = Object.values(cluster.workers ?? {}).filter(
      (worker): worker is Worker => worker !== undefined && worker.isConnected(),
    );
    const [own, ...answers] = await Promise.all([
      this.registry.getMetricsAsJSON(),
      ...workers.map((worker) => this.ask(worker)),
    ]);
    const all = [own, ...answers.filter((answer): answer is MetricsJson => answer !== undefined)];
    return AggregatorRegistry.aggregate(all).metrics();
  }

  private ask(worker: Worker): Promise<MetricsJson | undefined> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      const finish = (metrics: MetricsJson | undefined) => {
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('exit', onExit);
        resolve(metrics);
      };
      const onMessage = (message: unknown) => {
        if (isMessage<MetricsAnswer>(message, ANSWER) && message.id === id) finish(message.metrics);
      };
      const onExit = () => finish(undefined);
      const timer = setTimeout(() => {
        this.logger.warn(
          { pid: worker.process.pid },
          'phone process did not answer the metrics request in time; left out of this scrape',
        );
        finish(undefined);
      }, this.timeoutMs);
      worker.on('message', onMessage);
      worker.once('exit', onExit);
      try {
        worker.send({ type: REQUEST, id } satisfies MetricsRequest);
      } catch {
        finish(undefined);
      }
    });
  }
}
