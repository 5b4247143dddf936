#!/usr/bin/env node
// Cost of card10-bme680-exporter against a simulated badge, side by side with node_exporter.
//   node packages/card10-bme680-exporter/bench/card10-bench.mjs [--seconds 60] [--poll 1s] [--scrapes 500] [--node-flags "..."]
// Needs socat (and prometheus-node-exporter for the comparison row). A minimal raw-REPL responder
// plays the card10 on a socat PTY pair; the built exporter polls it. Reported: CPU used by the
// exporter process over the window (polling and idle, no scrapes), polls answered, serial bytes
// per poll, then scrape latency (median, p95) and RSS after the scrapes, for both exporters.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SerialPort } from 'serialport';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const seconds = Number(opt('seconds', '60'));
const poll = opt('poll', '1s');
const scrapes = Number(opt('scrapes', '500'));
const nodeFlags = opt('node-flags', '').split(' ').filter(Boolean);
const main = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const children = [];
let stopping = false;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function start(cmd, argv, ready) {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(p);
    let out = '';
    const on = (d) => {
      out += d;
      const m = ready.exec(out);
      if (m) resolve({ p, m });
    };
    p.stdout.on('data', on);
    p.stderr.on('data', on);
    p.on('exit', (c, sig) => {
      const e = new Error(`${cmd} exited ${c ?? sig}: ${out}`);
      reject(e);
      if (!stopping) console.error(e.message);
    });
  });
}

const ticks = (pid) => {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return Number(f[11]) + Number(f[12]); // utime + stime, in clock ticks (100 Hz on Linux)
};
const rss = (pid) => {
  const s = readFileSync(`/proc/${pid}/status`, 'utf8');
  return {
    now: Number(/VmRSS:\s+(\d+)/.exec(s)[1]) / 1024,
    peak: Number(/VmHWM:\s+(\d+)/.exec(s)[1]) / 1024,
  };
};

async function scrapeTimes(url, n) {
  const times = [];
  await (await fetch(url)).text();
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const body = await (await fetch(url)).text();
    times.push(performance.now() - t0);
    if (!body.includes('_up') && !body.includes('node_')) throw new Error(`odd answer from ${url}`);
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(n / 2)], p95: times[Math.floor(n * 0.95)] };
}

try {
  const socat = await start(
    'socat',
    ['-d', '-d', 'pty,raw,echo=0', 'pty,raw,echo=0'],
    /PTY is (\S+)[\s\S]*PTY is (\S+)[\s\S]*starting data transfer loop/,
  );
  const [, host, boardPath] = socat.m;

  // The simulated badge: banner on Ctrl-A, a BSEC reading for every program.
  const board = new SerialPort({ path: boardPath, baudRate: 115200 });
  let polls = 0;
  let bytesIn = 0;
  board.on('data', (d) => {
    bytesIn += d.length;
    for (const b of d) {
      if (b === 1) board.write('raw REPL; CTRL-B to exit\r\n>');
      else if (b === 4) {
        polls++;
        board.write('OKcard10-bme680 8 23.45 41.5 1013.25 152034.5 87.25 2 612.5 0.75\r\n\x04\x04>');
      }
    }
  });

  const exporter = await start(
    process.execPath,
    [
      ...nodeFlags,
      main,
      '--web.listen-address=127.0.0.1:0',
      `--serial.device=${host}`,
      `--poll.interval=${poll}`,
    ],
    /msg=listening address=(\S+)/,
  );
  const url = `${exporter.m[1]}/metrics`;
  while (polls === 0) await sleep(50);
  await sleep(1000);
  const t0 = ticks(exporter.p.pid);
  const p0 = polls;
  const b0 = bytesIn;
  const w0 = performance.now();
  await sleep(seconds * 1000);
  const cpuSeconds = (ticks(exporter.p.pid) - t0) / 100;
  const wall = (performance.now() - w0) / 1000;
  const answered = polls - p0;
  const bytesPerPoll = answered ? (bytesIn - b0) / answered : Number.NaN;
  const idleRss = rss(exporter.p.pid);

  const rows = [];
  const ours = await scrapeTimes(url, scrapes);
  rows.push(['card10-bme680-exporter', ours, rss(exporter.p.pid)]);
  const nodeExporter = '/usr/bin/prometheus-node-exporter';
  if (existsSync(nodeExporter)) {
    const port = 20000 + Math.floor(Math.random() * 20000);
    const ne = await start(nodeExporter, [`--web.listen-address=127.0.0.1:${port}`], /Listening on/);
    await sleep(300);
    rows.push([
      'node_exporter 1.5',
      await scrapeTimes(`http://127.0.0.1:${port}/metrics`, scrapes),
      rss(ne.p.pid),
    ]);
  }

  console.log(
    `poll interval ${poll}, window ${wall.toFixed(1)} s, node ${process.version} ${nodeFlags.join(' ')}`,
  );
  console.log('');
  console.log('| figure | value |');
  console.log('|---|---|');
  console.log(`| polls answered | ${answered} |`);
  console.log(`| exporter CPU, % of one core | ${((100 * cpuSeconds) / wall).toFixed(2)} |`);
  console.log(
    `| exporter CPU per poll, ms | ${answered ? ((1000 * cpuSeconds) / answered).toFixed(2) : 'n/a'} |`,
  );
  console.log(`| bytes sent to the badge per poll | ${bytesPerPoll.toFixed(0)} |`);
  console.log(`| RSS before scrapes, MiB | ${idleRss.now.toFixed(1)} |`);
  console.log('');
  console.log(`| exporter (${scrapes} scrapes) | median ms | p95 ms | RSS MiB | peak RSS MiB |`);
  console.log('|---|---|---|---|---|');
  for (const [name, t, m] of rows) {
    console.log(
      `| ${name} | ${t.median.toFixed(2)} | ${t.p95.toFixed(2)} | ${m.now.toFixed(1)} | ${m.peak.toFixed(1)} |`,
    );
  }
  board.close();
} finally {
  stopping = true;
  for (const c of children) c.kill('SIGTERM');
}
