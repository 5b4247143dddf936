import type { Matcher } from '../model/matchers.js';

/** The PromQL AST the engine evaluates. Times and durations are milliseconds. */
export type ValueType = 'scalar' | 'vector' | 'matrix' | 'string';

/** An `@` modifier: a fixed timestamp, or the query's start()/end(). */
export type AtModifier = { kind: 'time'; t: number } | { kind: 'start' } | { kind: 'end' };

export interface NumberLiteral {
  type: 'number';
  value: number;
}
export interface StringLiteral {
  type: 'string';
  value: string;
}
export interface VectorSelector {
  type: 'vectorSelector';
  name: string;
  matchers: Matcher[];
  offset: number;
  at?: AtModifier;
}
export interface MatrixSelector {
  type: 'matrixSelector';
  vector: VectorSelector;
  range: number;
}
export interface SubqueryExpr {
  type: 'subquery';
  expr: Expr;
  range: number;
  /** 0 means the default evaluation interval. */
  step: number;
  offset: number;
  at?: AtModifier;
}
export interface Call {
  type: 'call';
  func: string;
  args: Expr[];
}
export type AggregateOp =
  | 'sum'
  | 'avg'
  | 'min'
  | 'max'
  | 'count'
  | 'group'
  | 'stddev'
  | 'stdvar'
  | 'topk'
  | 'bottomk'
  | 'quantile'
  | 'count_values'
  | 'limitk'
  | 'limit_ratio';
export interface AggregateExpr {
  type: 'aggregate';
  op: AggregateOp;
  expr: Expr;
  param?: Expr;
  grouping: string[];
  without: boolean;
  /** Whether `by`/`without` was written (for printing `by ()`). */
  hasModifier: boolean;
}
export type BinaryOp =
  | '+'
  | '-'
  | '*'
  | '/'
  | '%'
  | '^'
  | 'atan2'
  | '=='
  | '!='
  | '>'
  | '<'
  | '>='
  | '<='
  | 'and'
  | 'or'
  | 'unless';
export type Cardinality = 'one-to-one' | 'many-to-one' | 'one-to-many' | 'many-to-many';
export interface VectorMatching {
  card: Cardinality;
  /** true: `on(labels)`; false: `ignoring(labels)` (or no modifier). */
  on: boolean;
  labels: string[];
  /** Labels named in group_left/group_right. */
  include: string[];
  /** Whether on/ignoring was written. */
  explicit: boolean;
}
export interface BinaryExpr {
  type: 'binary';
  op: BinaryOp;
  lhs: Expr;
  rhs: Expr;
  returnBool: boolean;
  matching?: VectorMatching;
}
export interface UnaryExpr {
  type: 'unary';
  op: '-' | '+';
  expr: Expr;
}
export interface ParenExpr {
  type: 'paren';
  expr: Expr;
}

export type Expr =
  | NumberLiteral
  | StringLiteral
  | VectorSelector
  | MatrixSelector
  | SubqueryExpr
  | Call
  | AggregateExpr
  | BinaryExpr
  | UnaryExpr
  | ParenExpr;

export const COMPARISON_OPS: ReadonlySet<BinaryOp> = new Set(['==', '!=', '>', '<', '>=', '<=']);
export const SET_OPS: ReadonlySet<BinaryOp> = new Set(['and', 'or', 'unless']);

/** Walks every node, parents first. */
export function walk(e: Expr, visit: (e: Expr) => void): void {
  visit(e);
  switch (e.type) {
    case 'matrixSelector':
      walk(e.vector, visit);
      break;
    case 'subquery':
    case 'paren':
    case 'unary':
      walk(e.expr, visit);
      break;
    case 'call':
      for (const a of e.args) walk(a, visit);
      break;
    case 'aggregate':
      if (e.param) walk(e.param, visit);
      walk(e.expr, visit);
      break;
    case 'binary':
      walk(e.lhs, visit);
      walk(e.rhs, visit);
      break;
  }
}
