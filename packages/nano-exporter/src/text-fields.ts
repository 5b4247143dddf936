/** Splits a line on runs of spaces and tabs without a regex (hot path: every /proc line). */
export function fields(line: string): string[] {
  const out: string[] = [];
  let start = -1;
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c === 32 || c === 9) {
      if (start >= 0) {
        out.push(line.slice(start, i));
        start = -1;
      }
    } else if (start < 0) start = i;
  }
  if (start >= 0) out.push(line.slice(start));
  return out;
}

/** Non-empty lines of a file. */
export function lines(text: string): string[] {
  const out: string[] = [];
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    if (end > start) out.push(text.slice(start, end));
    start = end + 1;
  }
  return out;
}

/** A decimal integer field; throws a clear error when the file is not what we expect. */
export function parseNumber(text: string | undefined, what: string): number {
  if (text === undefined || text === '') throw new Error(`${what}: missing value`);
  const n = Number(text);
  if (Number.isNaN(n)) throw new Error(`${what}: not a number: ${JSON.stringify(text.slice(0, 40))}`);
  return n;
}
