import type { SyntaxNode } from '@lezer/common';
import { parser as lezerParser } from '@prometheus-io/lezer-promql';
import { METRIC_NAME } from '../model/labels.js';
import { Matcher, type MatchType } from '../model/matchers.js';
import type {
  AggregateExpr,
  AggregateOp,
  AtModifier,
  BinaryExpr,
  BinaryOp,
  Expr,
  VectorMatching,
  VectorSelector,
} from './ast.js';
import { checkTypes } from './check.js';
import { parseDurationLiteral, parseNumberLiteral, unquoteString } from './literals.js';
import { describeSyntaxError } from './syntax-error.js';

/** A query that does not parse or type-check; the message carries `line:col:` as Prometheus does. */
export class ParseError extends Error {
  override name = 'ParseError';
}

/** Parses and type-checks a PromQL expression. Throws ParseError. */
export function parseExpr(input: string): Expr {
  if (input.trim() === '') throw new ParseError('1:1: parse error: no expression found in input');
  const tree = lezerParser.parse(input);
  const ctx = new Converter(input);
  let syntaxError: number | undefined;
  tree.iterate({
    enter(n) {
      if (syntaxError === undefined && n.type.isError) syntaxError = n.from;
    },
  });
  if (syntaxError !== undefined) {
    const { pos, message } = describeSyntaxError(input, syntaxError);
    ctx.fail(pos, message);
  }
  const top = tree.topNode.firstChild;
  if (!top) throw new ParseError('1:1: parse error: no expression found in input');
  const expr = ctx.expr(top);
  checkTypes(expr, (msg, node) => ctx.fail(ctx.positionOf(node), msg));
  return expr;
}

const MATCH_OPS: Record<string, MatchType> = { '=': '=', '!=': '!=', '=~': '=~', '!~': '!~' };
const BINARY_OPS: Record<string, BinaryOp> = {
  Add: '+',
  Sub: '-',
  Mul: '*',
  Div: '/',
  Mod: '%',
  Pow: '^',
  Atan2: 'atan2',
  Eql: '==',
  Neq: '!=',
  Gtr: '>',
  Lss: '<',
  Gte: '>=',
  Lte: '<=',
  And: 'and',
  Or: 'or',
  Unless: 'unless',
};

class Converter {
  /** Where each node starts in the input, for type errors found after conversion. */
  private readonly positions = new WeakMap<Expr, number>();

  constructor(private readonly input: string) {}

  positionOf(e: Expr | undefined): number {
    return (e && this.positions.get(e)) ?? 0;
  }

  fail(pos: number, message: string): never {
    const before = this.input.slice(0, pos);
    const line = before.split('\n').length;
    const col = pos - before.lastIndexOf('\n');
    throw new ParseError(`${line}:${col}: parse error: ${message}`);
  }

  private text(n: SyntaxNode): string {
    return this.input.slice(n.from, n.to);
  }

  private children(n: SyntaxNode): SyntaxNode[] {
    const out: SyntaxNode[] = [];
    for (let c = n.firstChild; c; c = c.nextSibling) if (c.name !== 'LineComment') out.push(c);
    return out;
  }

  private string(n: SyntaxNode): string {
    try {
      return unquoteString(this.text(n));
    } catch (e) {
      this.fail(n.from, (e as Error).message);
    }
  }

  private duration(n: SyntaxNode): number {
    const kids = this.children(n);
    if (n.name === 'OffsetDurationExpr' && kids.length === 2 && kids[0].name === 'UnaryOp') {
      const inner = this.duration(kids[1]);
      return this.text(kids[0]) === '-' ? -inner : inner;
    }
    if (kids.length === 1 && kids[0].name === 'NumberDurationLiteralInDurationContext') {
      const d = parseDurationLiteral(this.text(kids[0]));
      if (d !== undefined) return d;
    }
    if (n.name === 'NumberDurationLiteralInDurationContext') {
      const d = parseDurationLiteral(this.text(n));
      if (d !== undefined) return d;
    }
    this.fail(
      n.from,
      `unsupported duration ${JSON.stringify(this.text(n))}: use a literal such as 5m or 1h30m`,
    );
  }

  expr(n: SyntaxNode): Expr {
    const e = this.convert(n);
    if (!this.positions.has(e)) this.positions.set(e, n.from);
    return e;
  }

  private convert(n: SyntaxNode): Expr {
    const kids = this.children(n);
    switch (n.name) {
      case 'PromQL':
      case 'ParenExpr':
        if (n.name === 'ParenExpr') return { type: 'paren', expr: this.expr(kids[0]) };
        return this.expr(kids[0]);
      case 'NumberDurationLiteral': {
        const v = parseNumberLiteral(this.text(n));
        if (v === undefined)
          this.fail(n.from, `bad number or duration syntax: ${JSON.stringify(this.text(n))}`);
        return { type: 'number', value: v };
      }
      case 'StringLiteral':
        return { type: 'string', value: this.string(n) };
      case 'VectorSelector':
        return this.vectorSelector(n);
      case 'MatrixSelector': {
        const inner = this.expr(kids[0]);
        if (inner.type !== 'vectorSelector') this.fail(n.from, 'ranges only allowed for vector selectors');
        if (inner.offset !== 0 || inner.at)
          this.fail(n.from, 'no offset or @ modifiers allowed before range');
        return { type: 'matrixSelector', vector: inner, range: this.duration(kids[1]) };
      }
      case 'SubqueryExpr': {
        const durations = kids.filter((k) => k.name === 'DurationExpr');
        const range = this.duration(durations[0]);
        const step = durations.length > 1 ? this.duration(durations[1]) : 0;
        return { type: 'subquery', expr: this.expr(kids[0]), range, step, offset: 0 };
      }
      case 'OffsetExpr':
        return this.offset(n, kids);
      case 'StepInvariantExpr':
        return this.at(n, kids);
      case 'UnaryExpr': {
        const op = this.text(kids[0]) as '-' | '+';
        const inner = this.expr(kids[1]);
        if (inner.type === 'number')
          return { type: 'number', value: op === '-' ? -inner.value : inner.value };
        return { type: 'unary', op, expr: inner };
      }
      case 'BinaryExpr': {
        // The grammar lexes `-2` as one literal, but `^` binds tighter than unary minus: -2 ^ 2 is -(2 ^ 2).
        const first = kids[0];
        const sign = this.text(first)[0];
        if (
          first.name === 'NumberDurationLiteral' &&
          kids[1]?.name === 'Pow' &&
          (sign === '-' || sign === '+')
        ) {
          const power = this.binary(n, kids);
          power.lhs = { type: 'number', value: Math.abs((power.lhs as { value: number }).value) };
          return { type: 'unary', op: sign, expr: power };
        }
        return this.binary(n, kids);
      }
      case 'FunctionCall': {
        const name = this.text(kids[0]);
        const body = kids[1];
        return { type: 'call', func: name, args: body ? this.children(body).map((c) => this.expr(c)) : [] };
      }
      case 'AggregateExpr':
        return this.aggregate(n, kids);
      default:
        this.fail(n.from, `unexpected ${JSON.stringify(this.text(n))}`);
    }
  }

  private vectorSelector(n: SyntaxNode): VectorSelector {
    let name = '';
    const matchers: Matcher[] = [];
    for (const k of this.children(n)) {
      if (k.name === 'Identifier') name = this.text(k);
      else if (k.name === 'LabelMatchers') {
        for (const m of this.children(k)) {
          if (m.name === 'QuotedLabelName') {
            // `{"metric.name"}`: a quoted metric name.
            if (name) this.fail(m.from, `metric name must not be set twice: ${JSON.stringify(name)}`);
            name = this.string(this.children(m)[0]);
            continue;
          }
          const parts = this.children(m);
          const labelNode = parts[0];
          const label =
            labelNode.name === 'QuotedLabelName'
              ? this.string(this.children(labelNode)[0])
              : this.text(labelNode);
          const op = MATCH_OPS[this.text(parts[1])];
          const value = this.string(parts[2]);
          try {
            matchers.push(new Matcher(op, label, value));
          } catch (e) {
            this.fail(parts[2].from, (e as Error).message);
          }
        }
      }
    }
    if (name) {
      if (matchers.some((m) => m.name === METRIC_NAME)) {
        this.fail(n.from, `metric name must not be set twice: ${JSON.stringify(name)}`);
      }
      matchers.unshift(new Matcher('=', METRIC_NAME, name));
    }
    if (!matchers.some((m) => !m.matchesEmpty())) {
      this.fail(n.from, 'vector selector must contain at least one non-empty matcher');
    }
    return { type: 'vectorSelector', name, matchers, offset: 0 };
  }

  private offset(n: SyntaxNode, kids: SyntaxNode[]): Expr {
    const inner = this.expr(kids[0]);
    const durationNode = kids.find((k) => k.name === 'OffsetDurationExpr');
    if (!durationNode) this.fail(n.to, 'unexpected end of input in offset');
    const offset = this.duration(durationNode);
    const target = inner.type === 'matrixSelector' ? inner.vector : inner;
    if (target.type !== 'vectorSelector' && target.type !== 'subquery') {
      this.fail(
        n.from,
        'offset modifier must be preceded by an instant vector selector or range vector selector or a subquery',
      );
    }
    if (target.offset !== 0) this.fail(n.from, 'offset may not be set multiple times');
    target.offset = offset;
    return inner;
  }

  private at(n: SyntaxNode, kids: SyntaxNode[]): Expr {
    const inner = this.expr(kids[0]);
    const target = inner.type === 'matrixSelector' ? inner.vector : inner;
    if (target.type !== 'vectorSelector' && target.type !== 'subquery') {
      this.fail(
        n.from,
        '@ modifier must be preceded by an instant vector selector or range vector selector or a subquery',
      );
    }
    if (target.at) this.fail(n.from, '@ <timestamp> may not be set multiple times');
    const value = kids[kids.length - 1];
    let at: AtModifier;
    if (value.name === 'AtModifierPreprocessors') {
      at = { kind: this.text(value).startsWith('start') ? 'start' : 'end' };
    } else {
      const e = this.expr(value);
      if (e.type !== 'number' || !Number.isFinite(e.value)) {
        this.fail(value.from, 'timestamp out of bounds for @ modifier');
      }
      at = { kind: 'time', t: Math.round(e.value * 1000) };
    }
    target.at = at;
    return inner;
  }

  private binary(n: SyntaxNode, kids: SyntaxNode[]): BinaryExpr {
    const lhs = this.expr(kids[0]);
    const rhs = this.expr(kids[kids.length - 1]);
    const op = BINARY_OPS[kids[1].name];
    if (!op) this.fail(kids[1].from, `unexpected operator ${JSON.stringify(this.text(kids[1]))}`);
    let returnBool = false;
    let matching: VectorMatching | undefined;
    for (const k of kids.slice(2, -1)) {
      if (k.name === 'BoolModifier') returnBool = true;
      else if (k.name === 'MatchingModifierClause') matching = this.matching(k);
      else if (k.name.startsWith('Fill')) this.fail(k.from, 'fill modifiers are not supported');
    }
    const isSet = op === 'and' || op === 'or' || op === 'unless';
    if (!matching) matching = { card: 'one-to-one', on: false, labels: [], include: [], explicit: false };
    if (isSet) {
      if (matching.card === 'many-to-one' || matching.card === 'one-to-many') {
        this.fail(n.from, `no grouping allowed for "${op}" operation`);
      }
      matching.card = 'many-to-many';
    }
    for (const l of matching.include) {
      if (matching.on && matching.labels.includes(l)) {
        this.fail(n.from, `label "${l}" must not occur in ON and GROUP clause at once`);
      }
    }
    return { type: 'binary', op, lhs, rhs, returnBool, matching };
  }

  private grouping(n: SyntaxNode): string[] {
    return this.children(n).map((l) =>
      l.name === 'QuotedLabelName' ? this.string(this.children(l)[0]) : this.text(l),
    );
  }

  private matching(n: SyntaxNode): VectorMatching {
    const m: VectorMatching = { card: 'one-to-one', on: false, labels: [], include: [], explicit: false };
    let seenGroup = false;
    for (const k of this.children(n)) {
      if (k.name === 'On' || k.name === 'Ignoring') {
        m.on = k.name === 'On';
        m.explicit = true;
      } else if (k.name === 'GroupLeft' || k.name === 'GroupRight') {
        m.card = k.name === 'GroupLeft' ? 'many-to-one' : 'one-to-many';
        seenGroup = true;
      } else if (k.name === 'GroupingLabels') {
        if (seenGroup) m.include = this.grouping(k);
        else m.labels = this.grouping(k);
      } else if (k.name.startsWith('Fill')) {
        this.fail(k.from, 'fill modifiers are not supported');
      }
    }
    return m;
  }

  private aggregate(n: SyntaxNode, kids: SyntaxNode[]): AggregateExpr {
    const op = this.text(kids[0]) as AggregateOp;
    let grouping: string[] = [];
    let without = false;
    let hasModifier = false;
    let body: SyntaxNode | undefined;
    for (const k of kids.slice(1)) {
      if (k.name === 'AggregateModifier') {
        hasModifier = true;
        for (const c of this.children(k)) {
          if (c.name === 'Without') without = true;
          else if (c.name === 'GroupingLabels') grouping = this.grouping(c);
        }
      } else if (k.name === 'FunctionCallBody') body = k;
    }
    const args = body ? this.children(body).map((c) => this.expr(c)) : [];
    const needsParam = ['topk', 'bottomk', 'quantile', 'count_values', 'limitk', 'limit_ratio'].includes(op);
    const want = needsParam ? 2 : 1;
    if (args.length !== want) {
      this.fail(
        n.from,
        `wrong number of arguments for aggregate expression provided, expected ${want}, got ${args.length}`,
      );
    }
    return {
      type: 'aggregate',
      op,
      expr: args[args.length - 1],
      param: needsParam ? args[0] : undefined,
      grouping,
      without,
      hasModifier,
    };
  }
}
