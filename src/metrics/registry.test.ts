import { describe, expect, it } from 'vitest';
import { createMetrics } from './registry.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const maxDelaySeconds = (text: string) => Number(/^clinote_event_loop_delay_seconds\{quantile="1"\} (\S+)$/m.exec(text)?.[1]);

describe('event-loop delay gauge', () => {
  it('reports a stall of the thread since the last scrape, and only since then', async () => {
    const { registry } = createMetrics();
    await sleep(50);
    const started = Date.now();
    while (Date.now() - started < 300); // the thread is kept from its event loop
    await sleep(50);
    expect(maxDelaySeconds(await registry.render())).toBeGreaterThanOrEqual(0.29);
    await sleep(100);
    expect(maxDelaySeconds(await registry.render())).toBeLessThan(0.29);
  });
});
