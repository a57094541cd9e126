// Calls `fn` once calls have stopped for `ms` (with the last call's arguments); `flush` runs a
// pending call now, `cancel` drops it.

export interface Debounced<A extends unknown[]> {
  (...args: A): void;
  flush(): void;
  cancel(): void;
}

export function debounce<A extends unknown[]>(fn: (...args: A) => void, ms: number): Debounced<A> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let pending: A | undefined;
  const run = () => {
    const args = pending;
    debounced.cancel();
    if (args) fn(...args);
  };
  const debounced = Object.assign((...args: A) => {
    pending = args;
    clearTimeout(timer);
    timer = setTimeout(run, ms);
  }, {
    flush: run,
    cancel() {
      clearTimeout(timer);
      timer = undefined;
      pending = undefined;
    },
  });
  return debounced;
}
