import type { AtModifier, Expr } from '../../../promql/ast.js';
import { typeOf } from '../../../promql/check.js';
import { functionSignature } from '../../../promql/functions/signatures.js';

/** The AST as /api/v1/parse_query returns it (the shape Prometheus' UI tree view reads). */
export function astJson(e: Expr): unknown {
  switch (e.type) {
    case 'number':
      return { type: 'numberLiteral', val: String(e.value) };
    case 'string':
      return { type: 'stringLiteral', val: e.value };
    case 'paren':
      return { type: 'parenExpr', expr: astJson(e.expr) };
    case 'unary':
      return { type: 'unaryExpr', op: e.op, expr: astJson(e.expr) };
    case 'vectorSelector':
      return {
        type: 'vectorSelector',
        name: e.name,
        matchers: e.matchers.map((m) => ({ type: m.type, name: m.name, value: m.value })),
        offset: e.offset,
        ...at(e.at),
      };
    case 'matrixSelector':
      return {
        type: 'matrixSelector',
        name: e.vector.name,
        range: e.range,
        matchers: e.vector.matchers.map((m) => ({ type: m.type, name: m.name, value: m.value })),
        offset: e.vector.offset,
        ...at(e.vector.at),
      };
    case 'subquery':
      return {
        type: 'subquery',
        expr: astJson(e.expr),
        range: e.range,
        step: e.step,
        offset: e.offset,
        ...at(e.at),
      };
    case 'call': {
      const sig = functionSignature(e.func);
      return {
        type: 'call',
        func: {
          name: e.func,
          argTypes: sig?.args ?? [],
          variadic: sig?.optional ?? 0,
          returnType: sig?.returns ?? 'vector',
        },
        args: e.args.map(astJson),
      };
    }
    case 'aggregate':
      return {
        type: 'aggregation',
        op: e.op,
        expr: astJson(e.expr),
        param: e.param ? astJson(e.param) : null,
        grouping: e.grouping,
        without: e.without,
      };
    case 'binary':
      return {
        type: 'binaryExpr',
        op: e.op,
        lhs: astJson(e.lhs),
        rhs: astJson(e.rhs),
        matching:
          typeOf(e.lhs) === 'vector' && typeOf(e.rhs) === 'vector' && e.matching
            ? {
                card: e.matching.card,
                labels: e.matching.labels,
                on: e.matching.on,
                include: e.matching.include,
              }
            : null,
        bool: e.returnBool,
      };
  }
}

function at(a: AtModifier | undefined): { timestamp: number | null; startOrEnd: string | null } {
  if (!a) return { timestamp: null, startOrEnd: null };
  return a.kind === 'time' ? { timestamp: a.t, startOrEnd: null } : { timestamp: null, startOrEnd: a.kind };
}
