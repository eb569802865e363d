export interface OrderedRunOptions<U, R> {
  start(unit: U): Promise<R>;
  /** Bytes a unit holds in memory from its start until it is consumed. */
  cost(unit: U): number;
  /** Units are started ahead of the one being consumed while their costs fit in this many bytes. */
  windowBytes: number;
  /** ...and while fewer than this many are in flight. */
  maxAhead: number;
  signal?: AbortSignal;
}

/**
 * Starts units ahead (in parallel) but consumes their results strictly in order, so the output never
 * depends on which task finished first, and memory stays bounded by the window whatever the sizes.
 * A unit bigger than the window still runs, alone.
 */
export async function runInOrder<U, R>(
  units: Iterable<U>,
  options: OrderedRunOptions<U, R>,
  consume: (result: R, unit: U) => Promise<void>,
): Promise<void> {
  const inFlight: Array<{ unit: U; cost: number; result: Promise<R> }> = [];
  const iterator = units[Symbol.iterator]();
  let next = iterator.next();
  let bytes = 0;
  try {
    for (;;) {
      while (!next.done) {
        const cost = options.cost(next.value);
        const fits = bytes + cost <= options.windowBytes && inFlight.length < options.maxAhead;
        if (inFlight.length > 0 && !fits) break;
        const result = options.start(next.value);
        // Failures surface when the unit is consumed; this only stops an unhandled-rejection warning.
        result.catch(() => undefined);
        inFlight.push({ unit: next.value, cost, result });
        bytes += cost;
        next = iterator.next();
      }
      const head = inFlight.shift();
      if (head === undefined) return;
      const result = await head.result;
      options.signal?.throwIfAborted();
      await consume(result, head.unit);
      bytes -= head.cost;
    }
  } finally {
    iterator.return?.();
  }
}
