/**
 * An error while evaluating a query. `errorType` is Prometheus' API errorType: `execution` (422),
 * `timeout` (503), `bad_data` (400).
 */
export class QueryError extends Error {
  override name = 'QueryError';
  constructor(
    message: string,
    readonly errorType: 'execution' | 'timeout' | 'bad_data' = 'execution',
  ) {
    super(message);
  }
}

/** Enforces --query.max-samples and --query.timeout while one query runs. */
export class QueryBudget {
  private samples = 0;
  private checks = 0;

  constructor(
    private readonly maxSamples: number,
    private readonly deadline: number,
    private readonly now: () => number,
  ) {}

  /** Accounts for samples loaded or produced; fails when the query would hold too many. */
  addSamples(n: number): void {
    this.samples += n;
    if (this.samples > this.maxSamples) {
      throw new QueryError('query processing would load too many samples into memory in query execution');
    }
    this.checkTime();
  }

  /** Fails before allocating an evaluation grid larger than the whole sample budget. */
  checkGrid(points: number): void {
    if (points > this.maxSamples) {
      throw new QueryError('query processing would load too many samples into memory in query execution');
    }
  }

  /** Cheap to call often: reads the clock every 64 calls. */
  checkTime(): void {
    if ((++this.checks & 63) !== 0) return;
    if (this.now() > this.deadline) throw new QueryError('query timed out in query execution', 'timeout');
  }
}
