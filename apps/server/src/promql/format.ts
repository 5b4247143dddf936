import { isValidLabelName, isValidMetricName, METRIC_NAME } from '../model/labels.js';
import type { AtModifier, Expr, VectorMatching, VectorSelector } from './ast.js';
import { formatPromDuration, quoteString } from './literals.js';

/** Prints an expression on one line in Prometheus' canonical form. */
export function formatExpr(e: Expr): string {
  switch (e.type) {
    case 'number':
      return formatNumber(e.value);
    case 'string':
      return quoteString(e.value);
    case 'vectorSelector':
      return selector(e) + modifiers(e.at, e.offset);
    case 'matrixSelector':
      return `${selector(e.vector)}[${formatPromDuration(e.range)}]${modifiers(e.vector.at, e.vector.offset)}`;
    case 'subquery':
      return `${formatExpr(e.expr)}[${formatPromDuration(e.range)}:${e.step ? formatPromDuration(e.step) : ''}]${modifiers(e.at, e.offset)}`;
    case 'call':
      return `${e.func}(${e.args.map(formatExpr).join(', ')})`;
    case 'aggregate': {
      const mod =
        e.without || e.grouping.length > 0 ? `${e.without ? 'without' : 'by'} (${names(e.grouping)}) ` : '';
      const args = e.param ? `${formatExpr(e.param)}, ${formatExpr(e.expr)}` : formatExpr(e.expr);
      return `${e.op} ${mod}(${args})`.replace(`${e.op} (`, `${e.op}(`);
    }
    case 'binary':
      return `${formatExpr(e.lhs)} ${e.op}${e.returnBool ? ' bool' : ''}${matching(e.matching)} ${formatExpr(e.rhs)}`;
    case 'unary':
      return `${e.op}${formatExpr(e.expr)}`;
    case 'paren':
      return `(${formatExpr(e.expr)})`;
  }
}

/** Go's strconv.FormatFloat(v, 'g', -1, 64), which Prometheus prints number literals with. */
export function formatNumber(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Number.POSITIVE_INFINITY) return '+Inf';
  if (v === Number.NEGATIVE_INFINITY) return '-Inf';
  if (v === 0) return Object.is(v, -0) ? '-0' : '0';
  const [mantissa, expText] = v.toExponential().split('e');
  const exp = Number(expText);
  // Shortest digits; exponent form below 1e-4 and from 1e6 on, with at least two exponent digits.
  if (exp >= -4 && exp < 6) return String(v);
  return `${mantissa}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
}

function selector(v: VectorSelector): string {
  const rest = v.matchers.filter(
    (m) => !(m.name === METRIC_NAME && m.type === '=' && m.value === v.name && v.name),
  );
  const inner = rest
    .map((m) => `${labelName(m.name)}${m.type}${quoteString(m.value)}`)
    .sort()
    .join(',');
  if (v.name && !isValidMetricName(v.name)) {
    // A UTF-8 metric name goes inside the braces, quoted (Prometheus 3 syntax).
    return `{${[quoteString(v.name), ...(inner ? [inner] : [])].join(',')}}`;
  }
  return rest.length === 0 ? v.name : `${v.name}{${inner}}`;
}

function modifiers(at: AtModifier | undefined, offset: number): string {
  let out = '';
  if (at) out += at.kind === 'time' ? ` @ ${(at.t / 1000).toFixed(3)}` : ` @ ${at.kind}()`;
  if (offset !== 0)
    out += offset < 0 ? ` offset -${formatPromDuration(-offset)}` : ` offset ${formatPromDuration(offset)}`;
  return out;
}

function matching(m: VectorMatching | undefined): string {
  if (!m) return '';
  let out = '';
  const grouped = m.card === 'many-to-one' || m.card === 'one-to-many';
  if (m.on || m.labels.length > 0 || grouped) out += ` ${m.on ? 'on' : 'ignoring'} (${names(m.labels)})`;
  if (m.card === 'many-to-one') out += ` group_left (${names(m.include)})`;
  if (m.card === 'one-to-many') out += ` group_right (${names(m.include)})`;
  return out;
}

/**
 * Pretty-prints like Prometheus' format_query: expressions that fit in `width` columns stay on
 * one line; longer aggregations, calls and binary expressions break their operands onto indented lines.
 */
export function prettyExpr(e: Expr, indent = 0, width = 100): string {
  const pad = '  '.repeat(indent);
  const flat = formatExpr(e);
  if (pad.length + flat.length <= width) return pad + flat;
  switch (e.type) {
    case 'aggregate': {
      const mod =
        e.without || e.grouping.length > 0 ? ` ${e.without ? 'without' : 'by'} (${names(e.grouping)})` : '';
      const args = e.param
        ? `${prettyExpr(e.param, indent + 1, width)},\n${prettyExpr(e.expr, indent + 1, width)}`
        : prettyExpr(e.expr, indent + 1, width);
      return `${pad}${e.op}${mod}${mod ? ' ' : ''}(\n${args}\n${pad})`;
    }
    case 'call':
      return `${pad}${e.func}(\n${e.args.map((a) => prettyExpr(a, indent + 1, width)).join(',\n')}\n${pad})`;
    case 'binary':
      return `${prettyExpr(e.lhs, indent + 1, width)}\n${pad}${e.op}${e.returnBool ? ' bool' : ''}${matching(e.matching)}\n${prettyExpr(e.rhs, indent + 1, width)}`;
    case 'paren':
      return `${pad}(\n${prettyExpr(e.expr, indent + 1, width)}\n${pad})`;
    default:
      return pad + flat;
  }
}

/** A label name as PromQL spells it: bare when it is a classic name, quoted otherwise (UTF-8 names). */
function labelName(name: string): string {
  return isValidLabelName(name) ? name : quoteString(name);
}

function names(list: readonly string[]): string {
  return list.map(labelName).join(', ');
}
