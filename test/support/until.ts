/**
 * Waits for a condition instead of sleeping: calls `probe` every `intervalMs` until it returns a truthy value and
 * returns that value. A probe that throws is tried again; on timeout the error names `what` and the last failure.
 * The one copy for every test tier (integration tests import it through their esbuild bundle).
 */
export async function until<T>(
  what: string,
  probe: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  timeoutMs = 30_000,
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${last instanceof Error ? last.message : String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
