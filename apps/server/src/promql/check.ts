import { COMPARISON_OPS, type Expr, SET_OPS, type ValueType } from './ast.js';
import { functionSignature } from './functions/signatures.js';

/** Prometheus' names for value types in error messages. */
export function documentedType(t: ValueType): string {
  return t === 'vector' ? 'instant vector' : t === 'matrix' ? 'range vector' : t;
}

/** The value type an expression produces (assumes it type-checks). */
export function typeOf(e: Expr): ValueType {
  switch (e.type) {
    case 'number':
      return 'scalar';
    case 'string':
      return 'string';
    case 'vectorSelector':
    case 'aggregate':
      return 'vector';
    case 'matrixSelector':
    case 'subquery':
      return 'matrix';
    case 'call':
      return functionSignature(e.func)?.returns ?? 'vector';
    case 'binary':
      return typeOf(e.lhs) === 'scalar' && typeOf(e.rhs) === 'scalar' ? 'scalar' : 'vector';
    case 'unary':
    case 'paren':
      return typeOf(e.expr);
  }
}

/** Checks argument and operand types with Prometheus' messages; calls fail() on the first problem. */
export function checkTypes(e: Expr, fail: (message: string, at?: Expr) => never): void {
  const expect = (want: ValueType, got: Expr, context: string) => {
    const t = typeOf(got);
    if (t !== want)
      fail(`expected type ${documentedType(want)} in ${context}, got ${documentedType(t)}`, got);
  };
  switch (e.type) {
    case 'number':
    case 'string':
    case 'vectorSelector':
      return;
    case 'matrixSelector':
      return;
    case 'subquery':
      checkTypes(e.expr, fail);
      if (typeOf(e.expr) !== 'vector') {
        fail(`subquery is only allowed on instant vector, got ${documentedType(typeOf(e.expr))} instead`, e);
      }
      if (e.step < 0) fail('step value must be positive', e);
      return;
    case 'paren':
      checkTypes(e.expr, fail);
      return;
    case 'unary': {
      checkTypes(e.expr, fail);
      const t = typeOf(e.expr);
      if (t !== 'scalar' && t !== 'vector') {
        fail(
          `unary expression only allowed on expressions of type scalar or instant vector, got "${documentedType(t)}"`,
          e,
        );
      }
      return;
    }
    case 'call': {
      const sig = functionSignature(e.func);
      if (!sig) fail(`unknown function with name "${e.func}"`, e);
      const n = e.args.length;
      const min = sig.optional > 0 ? sig.args.length - sig.optional : sig.args.length;
      if (sig.optional === -1) {
        if (n < sig.args.length) {
          fail(`expected at least ${sig.args.length} argument(s) in call to "${e.func}", got ${n}`, e);
        }
      } else if (n < min || n > sig.args.length) {
        const want = min === sig.args.length ? `${min}` : `at most ${sig.args.length}`;
        fail(`expected ${want} argument(s) in call to "${e.func}", got ${n}`, e);
      }
      e.args.forEach((a, i) => {
        checkTypes(a, fail);
        const want = sig.args[Math.min(i, sig.args.length - 1)];
        expect(want, a, `call to function "${e.func}"`);
      });
      return;
    }
    case 'aggregate': {
      checkTypes(e.expr, fail);
      expect('vector', e.expr, 'aggregation expression');
      if (e.param) {
        checkTypes(e.param, fail);
        expect(e.op === 'count_values' ? 'string' : 'scalar', e.param, 'aggregation parameter');
      }
      return;
    }
    case 'binary': {
      checkTypes(e.lhs, fail);
      checkTypes(e.rhs, fail);
      const lt = typeOf(e.lhs);
      const rt = typeOf(e.rhs);
      if ((lt !== 'scalar' && lt !== 'vector') || (rt !== 'scalar' && rt !== 'vector')) {
        fail('binary expression must contain only scalar and instant vector types', e);
      }
      const isComparison = COMPARISON_OPS.has(e.op);
      if (e.returnBool && !isComparison) fail('bool modifier can only be used on comparison operators', e);
      if (isComparison && lt === 'scalar' && rt === 'scalar' && !e.returnBool) {
        fail('comparisons between scalars must use BOOL modifier', e);
      }
      if (SET_OPS.has(e.op) && (lt === 'scalar' || rt === 'scalar')) {
        fail(`set operator "${e.op}" not allowed in binary scalar expression`, e);
      }
      // Like Prometheus, an empty on()/ignoring() next to a scalar is dropped, not refused.
      if ((lt === 'scalar' || rt === 'scalar') && e.matching?.explicit && e.matching.labels.length > 0) {
        fail('vector matching only allowed between instant vectors', e);
      }
      // As in Prometheus, matching modifiers next to a scalar are dropped.
      if (lt === 'scalar' || rt === 'scalar') e.matching = undefined;
      return;
    }
  }
}
