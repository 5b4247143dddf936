/** Classic-histogram bucket math: histogram_quantile and histogram_fraction over `le` buckets. */

export interface Bucket {
  upperBound: number;
  count: number;
}

/** Sorts, merges buckets with the same bound and makes counts non-decreasing. */
function prepare(buckets: Bucket[]): Bucket[] | undefined {
  buckets.sort((a, b) => a.upperBound - b.upperBound);
  if (buckets.length === 0 || buckets[buckets.length - 1].upperBound !== Number.POSITIVE_INFINITY)
    return undefined;
  const merged: Bucket[] = [];
  for (const b of buckets) {
    const last = merged[merged.length - 1];
    if (last && last.upperBound === b.upperBound) last.count += b.count;
    else merged.push({ ...b });
  }
  // Counts that differ by float rounding only (relative 1e-12) are treated as equal first.
  let prev = merged[0].count;
  for (let i = 1; i < merged.length; i++) {
    const cur = merged[i].count;
    const delta = Math.abs(cur - prev);
    if (delta === 0) continue;
    if (delta / cur <= 1e-12) merged[i].count = prev;
    else prev = cur;
  }
  let max = Number.NEGATIVE_INFINITY;
  for (const b of merged) {
    if (b.count < max) b.count = max;
    else max = b.count;
  }
  return merged;
}

/** The q-quantile by linear interpolation within the bucket holding the rank. */
export function bucketQuantile(q: number, input: Bucket[]): number {
  if (Number.isNaN(q)) return Number.NaN;
  if (q < 0) return Number.NEGATIVE_INFINITY;
  if (q > 1) return Number.POSITIVE_INFINITY;
  const buckets = prepare(input);
  if (!buckets || buckets.length < 2) return Number.NaN;
  const observations = buckets[buckets.length - 1].count;
  if (observations === 0 || Number.isNaN(observations)) return Number.NaN;
  let rank = q * observations;
  let b = buckets.findIndex((x) => x.count >= rank);
  if (b < 0) b = buckets.length - 1;
  if (b === buckets.length - 1) return buckets[buckets.length - 2].upperBound;
  if (b === 0 && buckets[0].upperBound <= 0) return buckets[0].upperBound;
  let bucketStart = 0;
  const bucketEnd = buckets[b].upperBound;
  let count = buckets[b].count;
  if (b > 0) {
    bucketStart = buckets[b - 1].upperBound;
    count -= buckets[b - 1].count;
    rank -= buckets[b - 1].count;
  }
  return bucketStart + (bucketEnd - bucketStart) * (rank / count);
}

/** The estimated fraction of observations in [lower, upper], interpolating linearly in buckets. */
export function bucketFraction(lower: number, upper: number, input: Bucket[]): number {
  const buckets = prepare(input);
  if (!buckets) return Number.NaN;
  const total = buckets[buckets.length - 1].count;
  if (total === 0 || Number.isNaN(lower) || Number.isNaN(upper)) return Number.NaN;
  if (lower >= upper) return 0;
  const rankAt = (x: number): number => {
    let below = 0;
    for (let i = 0; i < buckets.length; i++) {
      const b = buckets[i];
      const lowerBound =
        i === 0 ? (b.upperBound > 0 ? 0 : Number.NEGATIVE_INFINITY) : buckets[i - 1].upperBound;
      if (x <= lowerBound) return below;
      if (x < b.upperBound) {
        if (lowerBound === Number.NEGATIVE_INFINITY || b.upperBound === Number.POSITIVE_INFINITY)
          return below;
        return below + ((b.count - below) * (x - lowerBound)) / (b.upperBound - lowerBound);
      }
      below = b.count;
    }
    return total;
  };
  return (rankAt(upper) - rankAt(lower)) / total;
}
