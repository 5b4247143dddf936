#!/usr/bin/env node
// The real exporter process with a simulated adapter: N sensors in range, each sending a new
// frame (rotating pvvx, atc1441, BTHome, encrypted MiBeacon) every --every ms, so scrape latency
// and memory can be measured on a machine without Bluetooth.
//   node packages/lywsd03mmc-exporter/bench/simulated-exporter.mjs --sensors 50 --every 2500 [exporter flags]
import { EventEmitter } from 'node:events';
import { rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runExporterMain } from '@motley/exporter-kit';
import { createDefinition } from '../dist/exporter.js';
import { BINDKEY, FORMATS, macOf } from './adverts.mjs';

const argv = process.argv.slice(2);
const take = (name, dflt) => {
  const i = argv.indexOf(`--${name}`);
  if (i < 0) return dflt;
  const v = Number(argv[i + 1]);
  argv.splice(i, 2);
  return v;
};
const sensors = take('sensors', 50);
const every = take('every', 2500);

class SimulatedAdapter extends EventEmitter {
  init() {
    process.nextTick(() => this.emit('stateChange', 'poweredOn'));
  }
  startScanning() {
    process.nextTick(() => this.emit('scanStart', false));
    let n = 0;
    const formats = Object.values(FORMATS);
    setInterval(() => {
      n++;
      for (let i = 0; i < sensors; i++) {
        const mac = macOf(i);
        const address = mac.toLowerCase().replace(/(..)(?!$)/g, '$1:');
        const entry = formats[i % formats.length](mac, n);
        this.emit(
          'discover',
          address.replace(/:/g, ''),
          address,
          'public',
          true,
          { serviceData: [entry], serviceUuids: [] },
          -60 - (i % 30),
          true,
        );
      }
    }, every).unref();
  }
  stopScanning() {}
}

const config = join(tmpdir(), `lywsd03mmc-bench-${process.pid}.yml`);
writeFileSync(
  config,
  `sensors:\n${Array.from({ length: sensors }, (_, i) => `  - mac: ${macOf(i)}\n    name: room-${i}\n    bindkey: ${BINDKEY.toString('hex')}\n`).join('')}`,
);
process.on('exit', () => rmSync(config, { force: true }));
const withBindings = createRequire(import.meta.url)('@abandonware/noble/with-bindings');
const adapter = new SimulatedAdapter();
runExporterMain(createDefinition({ loadNoble: () => withBindings(adapter) }), [
  '--config.file',
  config,
  ...argv,
]);
