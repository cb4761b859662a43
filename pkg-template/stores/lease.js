// A lease lock over any compare-and-set store (Deno KV, a Durable Object): acquire by writing
// {owner, expiresAt} only if no live lease exists; a lease past expiresAt is free (a crashed
// holder cannot block refreshes for longer than ttlMs). Polls with a small jittered delay.

export async function withLease({ tryAcquire, release, ttlMs, pollMs, timeoutMs }, fn) {
  const owner = crypto.randomUUID();
  const deadline = Date.now() + timeoutMs;
  while (!(await tryAcquire(owner, ttlMs))) {
    if (Date.now() > deadline) throw new Error("timed out waiting for the token lock");
    await new Promise((r) => setTimeout(r, pollMs / 2 + Math.random() * pollMs));
  }
  try {
    return await fn();
  } finally {
    await release(owner);
  }
}
