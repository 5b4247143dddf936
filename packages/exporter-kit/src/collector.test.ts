import { describe, expect, it } from 'vitest';
import { systemClock } from './clock.js';
import { type Collector, runCollectors } from './collector.js';
import { counter, gauge, renderFamilies } from './exposition.js';

describe('runCollectors', () => {
  it('keeps the good collectors when one throws and one hangs', async () => {
    let aborted = false;
    const collectors: Collector[] = [
      { name: 'good', collect: () => [gauge('x_good', 'Good.', [{ value: 1 }])] },
      {
        name: 'bad',
        collect: () => {
          throw new Error('boom');
        },
      },
      {
        name: 'hung',
        collect: (signal) =>
          new Promise(() => {
            signal.addEventListener('abort', () => {
              aborted = true;
            });
          }),
      },
    ];
    const { families, outcomes } = await runCollectors(collectors, {
      namespace: 'x',
      timeoutMs: 50,
      clock: systemClock,
    });
    expect(outcomes.map((o) => [o.name, o.ok])).toEqual([
      ['good', true],
      ['bad', false],
      ['hung', false],
    ]);
    expect(outcomes[2].error).toMatch(/timed out/);
    expect(aborted).toBe(true);
    const text = renderFamilies(families);
    expect(text).toContain('x_good 1\n');
    expect(text).toContain('x_scrape_collector_success{collector="good"} 1');
    expect(text).toContain('x_scrape_collector_success{collector="bad"} 0');
    expect(text).toContain('x_scrape_collector_success{collector="hung"} 0');
    // The deadline is the scrape's: it started a little before the third collector did.
    expect(text).toMatch(/x_scrape_collector_duration_seconds\{collector="hung"\} 0\.0(4[5-9]|[5-9])/);
  });
});

describe('runCollectors deadline', () => {
  it('times out every collector still running and leaves the finished ones alone', async () => {
    const aborted: string[] = [];
    const hung = (name: string): Collector => ({
      name,
      collect: (signal) =>
        new Promise(() => {
          signal.addEventListener('abort', () => aborted.push(name));
        }),
    });
    let fastSignal: AbortSignal | undefined;
    const fast: Collector = {
      name: 'fast',
      collect: (signal) => {
        fastSignal = signal;
        return [gauge('x_fast', 'Fast.', [{ value: 1 }])];
      },
    };
    const { outcomes } = await runCollectors([hung('h1'), fast, hung('h2')], {
      namespace: 'x',
      timeoutMs: 30,
      clock: systemClock,
    });
    expect(outcomes.map((o) => [o.name, o.ok])).toEqual([
      ['h1', false],
      ['fast', true],
      ['h2', false],
    ]);
    expect(aborted.sort()).toEqual(['h1', 'h2']);
    expect(outcomes[1].families).toHaveLength(1);
    expect(fastSignal).toBeDefined();
  });
});

describe('runCollectors signal', () => {
  const opts = { namespace: 'x', timeoutMs: 20, clock: systemClock };
  const seen: AbortSignal[] = [];
  const sync: Collector = {
    name: 'sync',
    collect: (signal) => {
      seen.push(signal);
      return [];
    },
  };
  const hung: Collector = { name: 'hung', collect: () => new Promise(() => {}) };

  it('gives every scrape a live signal, also the one after a scrape that timed out', async () => {
    await runCollectors([sync], opts);
    await runCollectors([sync, hung], opts);
    expect(seen[1].aborted).toBe(true);
    await runCollectors([sync], opts);
    await runCollectors([sync], opts);
    expect(seen[2].aborted).toBe(false);
    expect(seen[3].aborted).toBe(false);
  });

  it('never shares a signal between scrapes running at the same time', async () => {
    seen.length = 0;
    let release!: () => void;
    const slow: Collector = {
      name: 'slow',
      collect: (signal) => {
        seen.push(signal);
        return new Promise((resolve) => {
          release = () => resolve([]);
        });
      },
    };
    await runCollectors([sync], opts);
    const first = runCollectors([slow], { ...opts, timeoutMs: 1000 });
    await runCollectors([sync], opts);
    expect(seen[2]).not.toBe(seen[1]);
    release();
    await first;
  });
});

describe('renderFamilies', () => {
  it('sorts, merges families of one name, escapes and writes special floats', () => {
    const text = renderFamilies([
      gauge('b', 'B.', [{ labels: { l: 'x"y\\z\nw' }, value: Number.NaN }]),
      gauge('a', 'A\nhelp', [{ value: Number.POSITIVE_INFINITY }]),
      gauge('b', 'ignored', [{ labels: { l: '2' }, value: -0.5 }]),
      gauge('empty', 'nothing', []),
    ]);
    expect(text).toBe(
      '# HELP a A\\nhelp\n# TYPE a gauge\na +Inf\n' +
        '# HELP b B.\n# TYPE b gauge\nb{l="x\\"y\\\\z\\nw"} NaN\nb{l="2"} -0.5\n',
    );
  });

  it('renders a changed HELP or TYPE of a family it rendered before', () => {
    expect(renderFamilies([gauge('h', 'First.', [{ value: 1 }])])).toBe(
      '# HELP h First.\n# TYPE h gauge\nh 1\n',
    );
    expect(renderFamilies([counter('h', 'Second.', [{ value: 2 }])])).toBe(
      '# HELP h Second.\n# TYPE h counter\nh 2\n',
    );
  });
});
