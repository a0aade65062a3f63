/** Waiting for events in tests: the next value a subscription delivers, every value, a plain delay. */
/** Resolves with the next value a subscribe function delivers (its first argument), or rejects after `ms`. */
export function next<A extends unknown[]>(
  subscribe: (listener: (...args: A) => void) => () => void,
  ms = 3000,
): Promise<A[0]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`no event within ${ms} ms`));
    }, ms);
    const off = subscribe((...args) => {
      clearTimeout(timer);
      off();
      resolve(args[0]);
    });
  });
}

/** Collects every value a subscribe function delivers. */
export function collect<T>(subscribe: (listener: (value: T) => void) => () => void): T[] {
  const values: T[] = [];
  subscribe((value) => values.push(value));
  return values;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
