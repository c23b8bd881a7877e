/**
 * Returns a function that runs its argument at most once per `intervalMs`: an outage makes
 * every connection report the same error many times a second, and one line says enough.
 */
export function throttled(intervalMs: number): (action: () => void) => void {
  let last = 0;
  return (action) => {
    const now = Date.now();
    if (now - last < intervalMs) return;
    last = now;
    action();
  };
}
