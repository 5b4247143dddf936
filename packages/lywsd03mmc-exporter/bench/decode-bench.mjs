#!/usr/bin/env node
// Advert handling throughput: adverts/s through AdvertHandler (decode, dedupe, store) per format,
// and the whole path from fake HCI bindings through the real noble.
// Each row is run --runs times on fresh state; the median is reported (the machines are shared).
//   node packages/lywsd03mmc-exporter/bench/decode-bench.mjs [--sensors 50] [--frames 200000] [--runs 5]
import { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';
import { ManualClock } from '@motley/exporter-kit/testing';
import { AdvertHandler } from '../dist/advert-handler.js';
import { SensorDirectory } from '../dist/sensor-directory.js';
import { sensorFamilies } from '../dist/sensor-metrics.js';
import { SensorStore } from '../dist/sensor-store.js';
import { BINDKEY, FORMATS, macOf } from './adverts.mjs';

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
};
const sensors = arg('sensors', 50);
const frames = arg('frames', 200_000);
const runs = arg('runs', 5);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const silent = { debug() {}, info() {}, warn() {}, error() {} };
const expiry = { atc1441: 25_000, pvvx: 25_000, bthome: 25_000, mibeacon: 1_500_000, gatt: 750_000 };

function setup() {
  const clock = new ManualClock();
  const store = new SensorStore(clock, expiry);
  const directory = new SensorDirectory();
  for (let i = 0; i < sensors; i++) directory.merge({ mac: macOf(i), bindkey: BINDKEY, name: `room-${i}` });
  const deps = { store, directory, log: silent };
  return { ...deps, handler: new AdvertHandler(deps) };
}

function prepare(format) {
  // 1,024 distinct frames per sensor cycle keep every advert new (no repeat short cut).
  const out = [];
  for (let n = 0; n < Math.min(frames, 4096); n++) {
    const mac = macOf(n % sensors);
    const address = mac.toLowerCase().replace(/(..)(?!$)/g, '$1:');
    out.push({ address, entry: FORMATS[format](mac, Math.floor(n / sensors) + 1) });
  }
  return out;
}

function measure(label, deps, adverts, repeat = false) {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < frames; i++) {
    const a = adverts[repeat ? 0 : i % adverts.length];
    deps.handler.handle(a.address, [a.entry], -60);
  }
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  assertDecoded(deps, label);
  return { label, perSecond: frames / s, usPerAdvert: (s * 1e6) / frames };
}

function assertDecoded(deps, label) {
  const decoded =
    [...deps.store.adverts.values()].reduce((a, b) => a + b, 0) +
    [...deps.store.duplicates.values()].reduce((a, b) => a + b, 0);
  const errors = [...deps.store.decodeErrors.values()].reduce((a, b) => a + b, 0);
  if (decoded < frames || errors > 0)
    throw new Error(`${label}: only ${decoded} adverts decoded, ${errors} errors`);
}

const rows = [];
/** Runs one row `runs` times on fresh state and keeps the median time. */
function row(label, format, repeat = false) {
  const adverts = prepare(format);
  measure(label, setup(), adverts, repeat); // warm up
  const times = [];
  for (let r = 0; r < runs; r++) times.push(measure(label, setup(), adverts, repeat).usPerAdvert);
  const us = median(times);
  rows.push({ label, perSecond: 1e6 / us, usPerAdvert: us });
}
for (const format of Object.keys(FORMATS)) row(`${format} (new frames)`, format);
row('pvvx (repeated frame)', 'pvvx', true);

// The whole path: fake HCI bindings -> real noble -> exporter's discover handler.
const withBindings = createRequire(import.meta.url)('@abandonware/noble/with-bindings');
class Bindings extends EventEmitter {
  init() {
    process.nextTick(() => this.emit('stateChange', 'poweredOn'));
  }
  startScanning() {
    process.nextTick(() => this.emit('scanStart', false));
  }
  stopScanning() {}
}
{
  const bindings = new Bindings();
  const noble = withBindings(bindings);
  const deps = setup();
  noble.on('discover', (p) => deps.handler.handle(p.address, p.advertisement.serviceData, p.rssi));
  await new Promise((r) => noble.once('stateChange', r));
  await new Promise((r) => noble.startScanning([], true, r));
  const adverts = prepare('bthome');
  const emit = (i) => {
    const a = adverts[i % adverts.length];
    bindings.emit(
      'discover',
      a.address.replace(/:/g, ''),
      a.address,
      'public',
      true,
      { serviceData: [a.entry], serviceUuids: [] },
      -60,
      true,
    );
  };
  for (let i = 0; i < 20_000; i++) emit(i);
  const times = [];
  for (let r = 0; r < runs; r++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < frames; i++) emit(i);
    times.push(Number(process.hrtime.bigint() - t0) / 1e3 / frames);
  }
  assertDecoded(deps, 'through noble');
  const us = median(times);
  rows.push({ label: 'bthome through noble', perSecond: 1e6 / us, usPerAdvert: us });
}

// Rendering the families for a scrape with every sensor live.
{
  const deps = setup();
  for (const a of prepare('pvvx')) deps.handler.handle(a.address, [a.entry], -60);
  const n = 2_000;
  const live = sensorFamilies(deps.store, deps.directory).find(
    (f) => f.name === 'thermometer_temperature_celsius',
  );
  if (live.samples.length !== sensors)
    throw new Error(`expected ${sensors} live sensors, got ${live.samples.length}`);
  const times = [];
  for (let r = 0; r < runs; r++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) sensorFamilies(deps.store, deps.directory);
    times.push(Number(process.hrtime.bigint() - t0) / 1e3 / n);
  }
  const us = median(times);
  rows.push({ label: `families for ${sensors} sensors (per scrape)`, perSecond: 1e6 / us, usPerAdvert: us });
}

console.log(`node ${process.version}, ${sensors} sensors, ${frames} adverts per run, median of ${runs} runs`);
console.log('| path | per second | µs each |');
console.log('|---|---|---|');
for (const r of rows)
  console.log(
    `| ${r.label} | ${Math.round(r.perSecond).toLocaleString('en-US')} | ${r.usPerAdvert.toFixed(2)} |`,
  );
