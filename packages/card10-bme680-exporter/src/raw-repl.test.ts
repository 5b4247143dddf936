import { describe, expect, it } from 'vitest';
import { execRequest, RAW_REPL_BANNER, RawReplParser, type ReplEvent, summarizeError } from './raw-repl.js';

/** Feeds text one piece at a time and collects every event. */
function feedAll(parser: RawReplParser, pieces: (string | Uint8Array)[]): ReplEvent[] {
  return pieces.flatMap((p) => parser.feed(p));
}

/** Splits text into pieces of n characters. */
function chunks(text: string, n: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += n) out.push(text.slice(i, i + n));
  return out;
}

describe('RawReplParser', () => {
  it('finds the banner after the interrupted app and the friendly prompt', () => {
    const p = new RawReplParser();
    p.expectBanner();
    const events = p.feed(`clock 12:00\r\nTraceback...\r\nKeyboardInterrupt: \r\n>>> \r\n${RAW_REPL_BANNER}`);
    expect(events).toEqual([{ kind: 'banner' }]);
    expect(p.waitingFor).toBe('idle');
  });

  it('finds a banner split across chunks at every position', () => {
    const text = `garbage>>${RAW_REPL_BANNER}`;
    for (let n = 1; n <= 5; n++) {
      const p = new RawReplParser();
      p.expectBanner();
      expect(feedAll(p, chunks(text, n))).toEqual([{ kind: 'banner' }]);
    }
  });

  it('frames stdout and stderr of a program run, in any chunking', () => {
    const answer = 'OKcard10-bme680 4 1.0 2.0 3.0 4.0\r\n\x04Traceback\r\nOSError: EIO\r\n\x04>';
    for (const n of [1, 2, 3, 7, answer.length]) {
      const p = new RawReplParser();
      p.expectResult();
      expect(feedAll(p, chunks(answer, n))).toEqual([
        {
          kind: 'result',
          result: { stdout: 'card10-bme680 4 1.0 2.0 3.0 4.0\r\n', stderr: 'Traceback\r\nOSError: EIO\r\n' },
        },
      ]);
    }
  });

  it('skips garbage bytes and the previous prompt before OK', () => {
    const p = new RawReplParser();
    p.expectResult();
    const noise = new Uint8Array([0xff, 0xfe, 0x00, 0x3e, 0xc3, 0x28]);
    const events = feedAll(p, [noise, 'O', 'K', 'hello\r\n\x04', '\x04>']);
    expect(events).toEqual([{ kind: 'result', result: { stdout: 'hello\r\n', stderr: '' } }]);
  });

  it('decodes UTF-8 split across chunks', () => {
    const p = new RawReplParser();
    p.expectResult();
    const bytes = new TextEncoder().encode('OK23 °C\x04\x04>');
    const events = feedAll(p, [bytes.subarray(0, 5), bytes.subarray(5)]);
    expect(events).toEqual([{ kind: 'result', result: { stdout: '23 °C', stderr: '' } }]);
  });

  it('ignores bytes while it expects nothing', () => {
    const p = new RawReplParser();
    expect(p.feed(`OK\x04\x04>${RAW_REPL_BANNER}`)).toEqual([]);
  });

  it('gives up on an answer that never ends instead of buffering without bound', () => {
    const p = new RawReplParser(100);
    p.expectResult();
    const events = feedAll(p, ['OK', 'x'.repeat(60), 'x'.repeat(60)]);
    expect(events).toEqual([{ kind: 'overflow', limit: 100 }]);
    expect(p.waitingFor).toBe('idle');
  });

  it('bounds the noise it keeps while looking for a marker', () => {
    const p = new RawReplParser(100);
    p.expectBanner();
    for (let i = 0; i < 50; i++) expect(p.feed('z'.repeat(50))).toEqual([]);
    expect(p.feed(RAW_REPL_BANNER)).toEqual([{ kind: 'banner' }]);
  });
});

describe('execRequest', () => {
  it('ends the code with Ctrl-D and refuses code that contains one', () => {
    expect(execRequest('print(1)')).toBe('print(1)\x04');
    expect(() => execRequest('a\x04b')).toThrow(/Ctrl-D/);
  });
});

describe('summarizeError', () => {
  it('returns the last line of a traceback', () => {
    const tb =
      'Traceback (most recent call last):\r\n  File "<stdin>", line 1, in <module>\r\nImportError: no module named \'bme680\'\r\n';
    expect(summarizeError(tb)).toBe("ImportError: no module named 'bme680'");
    expect(summarizeError('\r\n')).toBe('error without message');
  });
});
