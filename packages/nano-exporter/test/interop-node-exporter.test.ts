import { parseExposition, requireProgram, startOnRandomPort } from '@motley/exporter-kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { definition } from '../src/exporter.js';
import {
  byName,
  COVERED_PREFIXES,
  FIXTURES,
  labelNames,
  seriesKey,
  startNodeExporter,
  textfileDir,
} from './support.js';

/**
 * nano-exporter next to the real node_exporter 1.5 (Debian's prometheus-node-exporter): first
 * both over the same fixture tree, where every value must agree, then both on this machine.
 */
const binary = requireProgram('prometheus-node-exporter', 'prometheus-node-exporter');

type Parsed = ReturnType<typeof byName>;

async function scrapeBoth(
  args: string[],
): Promise<{ ne: Parsed; nano: Parsed; neText: string; nanoText: string }> {
  const ne = await startNodeExporter(binary as string, args);
  let nano: Awaited<ReturnType<typeof startOnRandomPort>> | undefined;
  try {
    nano = await startOnRandomPort(definition, args, { processMetrics: true });
    const [neText, nanoText] = await Promise.all([
      fetch(ne.url).then((r) => r.text()),
      fetch(`${nano.url}/metrics`).then((r) => r.text()),
    ]);
    return { ne: byName(parseExposition(neText)), nano: byName(parseExposition(nanoText)), neText, nanoText };
  } finally {
    // Stopped even when nano-exporter fails to start, so no node_exporter outlives the test.
    await Promise.all([ne.stop(), nano?.stop()]);
  }
}

function metadata(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^# (HELP|TYPE) (\S+) (.*)$/.exec(line);
    if (m) out.set(`${m[1]} ${m[2]}`, m[3]);
  }
  return out;
}

function commonChecks(get: () => { ne: Parsed; nano: Parsed; neText: string; nanoText: string }) {
  it('uses the same label names for every metric both expose', () => {
    const { ne, nano } = get();
    const mismatches: string[] = [];
    for (const [name, series] of nano) {
      const theirs = ne.get(name);
      if (!theirs || name.startsWith('process_')) continue;
      const ours = new Set(series.map((s) => labelNames(s.labels)));
      const expected = new Set(theirs.map((s) => labelNames(s.labels)));
      if ([...ours].join('|') !== [...expected].join('|'))
        mismatches.push(`${name}: ${[...ours]} vs ${[...expected]}`);
    }
    expect(mismatches).toEqual([]);
  });

  it('uses the same HELP and TYPE', () => {
    const { neText, nanoText } = get();
    const theirs = metadata(neText);
    const diffs = [...metadata(nanoText)]
      .filter(
        ([key]) => theirs.has(key) && !key.includes('process_') && !key.endsWith('_scrape_collector_success'),
      )
      .filter(([key, v]) => theirs.get(key) !== v && !v.startsWith('Metric read from'))
      .map(([key, v]) => `${key}: ${v} vs ${theirs.get(key)}`);
    expect(diffs).toEqual([]);
  });

  it("has node_exporter's metrics for every collector it implements, and invents none", () => {
    const { ne, nano } = get();
    const missing = [...ne.keys()].filter(
      (n) => COVERED_PREFIXES.some((p) => n.startsWith(p)) && !nano.has(n),
    );
    expect(missing).toEqual([]);
    const invented = [...nano.keys()].filter((n) => n.startsWith('node_') && !ne.has(n));
    expect(invented).toEqual([]);
  });
}

describe.skipIf(!binary)('against node_exporter 1.5 over the fixture tree', () => {
  const textfiles = textfileDir();
  let both: Awaited<ReturnType<typeof scrapeBoth>>;
  beforeAll(async () => {
    both = await scrapeBoth([
      `--path.procfs=${FIXTURES}/proc`,
      `--path.sysfs=${FIXTURES}/sys`,
      `--path.rootfs=${FIXTURES}/rootfs`,
      `--collector.textfile.directory=${textfiles.path}`,
    ]);
  });
  afterAll(() => textfiles.cleanup());
  commonChecks(() => both);

  it('reports the same value for every series of the fixture files', () => {
    // Left out: node_exporter 1.5 reads interface counters over netlink (the live host, not the
    // fixture), statfs and the clock are live, and the scrape and process metrics are per process.
    const live =
      /^(node_network_(receive|transmit)_\w+_total|node_filesystem_(avail|free|files_free)\w*|node_time_seconds|node_scrape_\w+|process_\w+|go_\w+)$/;
    const diffs: string[] = [];
    let compared = 0;
    for (const [name, series] of both.nano) {
      const theirs = both.ne.get(name);
      if (!theirs || live.test(name)) continue;
      const values = new Map(theirs.map((s) => [seriesKey(s.labels), s.value]));
      for (const s of series) {
        compared++;
        const v = values.get(seriesKey(s.labels));
        if (v === undefined) diffs.push(`${name}{${seriesKey(s.labels)}} missing in node_exporter`);
        else if (v !== s.value) diffs.push(`${name}{${seriesKey(s.labels)}}: ${s.value} vs ${v}`);
      }
    }
    expect(diffs).toEqual([]);
    expect(compared).toBeGreaterThan(250);
  });
});

describe.skipIf(!binary)('against node_exporter 1.5 on this machine', () => {
  let both: Awaited<ReturnType<typeof scrapeBoth>>;
  beforeAll(async () => {
    both = await scrapeBoth([]);
  });
  commonChecks(() => both);

  it('agrees on values that cannot drift between two reads', () => {
    const cpus = (p: Parsed) =>
      new Set((p.get('node_cpu_seconds_total') ?? []).map((s) => s.labels.cpu)).size;
    expect(cpus(both.nano)).toBeGreaterThan(0);
    expect(cpus(both.nano)).toBe(cpus(both.ne));
    expect(both.nano.get('node_memory_MemTotal_bytes')?.[0].value).toBe(
      both.ne.get('node_memory_MemTotal_bytes')?.[0].value,
    );
    expect(both.nano.get('node_boot_time_seconds')?.[0].value).toBe(
      both.ne.get('node_boot_time_seconds')?.[0].value,
    );
    const sizes = (p: Parsed) =>
      Object.fromEntries(
        (p.get('node_filesystem_size_bytes') ?? []).map((s) => [seriesKey(s.labels), s.value]),
      );
    expect(Object.keys(sizes(both.nano)).length).toBeGreaterThan(0);
    expect(sizes(both.nano)).toEqual(sizes(both.ne));
    expect(both.nano.get('node_uname_info')?.[0].labels).toEqual(both.ne.get('node_uname_info')?.[0].labels);
    const mtu = (p: Parsed) =>
      Object.fromEntries((p.get('node_network_mtu_bytes') ?? []).map((s) => [s.labels.device, s.value]));
    expect(mtu(both.nano)).toEqual(mtu(both.ne));
  });
});
