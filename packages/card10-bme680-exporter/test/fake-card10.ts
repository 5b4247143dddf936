/**
 * A fake card10 on the board end of a PTY pair: it runs an "app" that prints until Ctrl-C, has a
 * friendly REPL, and a raw REPL with the card10's framing. What it answers is switchable at run
 * time: BSEC on or off, a traceback, a missing module, a cut-off line, garbage on the line, answers
 * split into small chunks, or no answer at all.
 */
import { SerialPort } from 'serialport';

export interface SensorValues {
  temperature: number;
  humidity: number;
  pressure: number;
  gasResistance: number;
  iaq: number;
  iaqAccuracy: number;
  eco2: number;
  breathVoc: number;
}

export type Answer = 'reading' | 'oserror' | 'no-module' | 'cut-off';

export interface Behaviour {
  bsec: boolean;
  answer: Answer;
  /** Ignore everything (a hung board). */
  stalled: boolean;
  /** Garbage bytes before each banner and answer. */
  noise: boolean;
  /** Send answers in pieces of this many bytes with pauses between. */
  chunkBytes?: number;
  values: SensorValues;
}

export const DEFAULT_VALUES: SensorValues = {
  temperature: 23.45,
  humidity: 41.5,
  pressure: 1013.25,
  gasResistance: 152034.5,
  iaq: 87.25,
  iaqAccuracy: 2,
  eco2: 612.5,
  breathVoc: 0.75,
};

const BANNER = 'raw REPL; CTRL-B to exit\r\n>';
const NOISE = Buffer.from([
  0xff, 0xfe, 0x00, 0x1b, 0x5b, 0x32, 0x4a, 0x4f, 0x0d, 0x0a, 0xc3, 0x28, 0x3e, 0x3e, 0x3e,
]);

/** MicroPython prints floats with a decimal point even when whole. */
function pyFloat(v: number): string {
  return Number.isInteger(v) ? `${v}.0` : String(v);
}

type Mode = 'app' | 'friendly' | 'raw';

export class FakeCard10 {
  readonly programs: string[] = [];
  behaviour: Behaviour;
  private mode: Mode = 'app';
  private code = '';
  private appTimer: NodeJS.Timeout | undefined;
  private sending: Promise<void> = Promise.resolve();

  private constructor(
    private readonly port: SerialPort,
    behaviour: Partial<Behaviour>,
  ) {
    this.behaviour = {
      bsec: true,
      answer: 'reading',
      stalled: false,
      noise: false,
      values: { ...DEFAULT_VALUES },
      ...behaviour,
    };
    port.on('data', (d: Buffer) => {
      for (const byte of d) this.receive(byte);
    });
    port.on('error', () => {});
    // The badge boots into an app that keeps printing until interrupted.
    this.appTimer = setInterval(() => this.send('clock: 12:34:56\r\n'), 50);
  }

  static open(path: string, behaviour: Partial<Behaviour> = {}): Promise<FakeCard10> {
    return new Promise((resolve, reject) => {
      const port = new SerialPort({ path, baudRate: 115200, autoOpen: false });
      port.open((err) => (err ? reject(err) : resolve(new FakeCard10(port, behaviour))));
    });
  }

  /** How many programs the board has run. */
  get runs(): number {
    return this.programs.length;
  }

  close(): Promise<void> {
    clearInterval(this.appTimer);
    return new Promise((done) => (this.port.isOpen ? this.port.close(() => done()) : done()));
  }

  private receive(byte: number): void {
    if (this.behaviour.stalled) return;
    const ch = String.fromCharCode(byte);
    switch (this.mode) {
      case 'app':
        if (ch === '\x03') {
          clearInterval(this.appTimer);
          this.mode = 'friendly';
          this.send(
            'Traceback (most recent call last):\r\n  File "main.py", line 40, in <module>\r\nKeyboardInterrupt: \r\n>>> ',
          );
        }
        return;
      case 'friendly':
        if (ch === '\x01') this.enterRaw();
        else if (ch === '\x03') this.send('\r\n>>> ');
        else this.send(ch);
        return;
      case 'raw':
        if (ch === '\x01') this.enterRaw();
        else if (ch === '\x02') {
          this.mode = 'friendly';
          this.send('\r\nMicroPython v1.11 on card10\r\n>>> ');
        } else if (ch === '\x03') this.code = '';
        else if (ch === '\x04') this.run();
        else this.code += ch;
        return;
    }
  }

  private enterRaw(): void {
    this.mode = 'raw';
    this.code = '';
    this.send(`${this.behaviour.noise ? NOISE.toString('latin1') : ''}\r\n${BANNER}`);
  }

  private run(): void {
    const code = this.code;
    this.code = '';
    this.programs.push(code);
    const { stdout, stderr } = this.execute(code);
    const noise = this.behaviour.noise ? NOISE.toString('latin1') : '';
    this.send(`${noise}OK${stdout}\x04${stderr}\x04>`);
  }

  /** Runs the exporter's program the way pycardium would, as far as this fake understands it. */
  private execute(code: string): { stdout: string; stderr: string } {
    const b = this.behaviour;
    const traceback = (line: number, error: string) => ({
      stdout: '',
      stderr: `Traceback (most recent call last):\r\n  File "<stdin>", line ${line}, in <module>\r\n${error}\r\n`,
    });
    if (
      !/import bme680/.test(code) ||
      !/with bme680\.Bme680\(\) as (\w+):\s*\n\s+\w+\s*=\s*\1\.get_data\(\)/.test(code)
    ) {
      return traceback(1, "NameError: name 'bme680' isn't defined");
    }
    if (b.answer === 'no-module') return traceback(1, "ImportError: no module named 'bme680'");
    if (b.answer === 'oserror') return traceback(3, 'OSError: [Errno 5] EIO');
    const v = b.values;
    const fields = [v.temperature, v.humidity, v.pressure, v.gasResistance].map(pyFloat);
    if (b.bsec) fields.push(pyFloat(v.iaq), String(v.iaqAccuracy), pyFloat(v.eco2), pyFloat(v.breathVoc));
    const tag = /print\('([\w-]+)'/.exec(code)?.[1] ?? '?';
    const line = `${tag} ${fields.length} ${fields.join(' ')}`;
    if (b.answer === 'cut-off') return { stdout: `${line.slice(0, 30)}\r\n`, stderr: '' };
    return { stdout: `${line}\r\n`, stderr: '' };
  }

  /** Writes in order; in chunks with pauses when asked to, so frames arrive in pieces. */
  private send(text: string): void {
    const data = Buffer.from(text, 'latin1');
    const size = this.behaviour.chunkBytes;
    this.sending = this.sending.then(async () => {
      if (!this.port.isOpen) return;
      if (!size) {
        this.port.write(data);
        return;
      }
      for (let i = 0; i < data.length; i += size) {
        this.port.write(data.subarray(i, i + size));
        await new Promise((r) => setTimeout(r, 3));
      }
    });
  }
}
