/** Runs `fn` for every item, at most `limit` at a time (a county's entities asked one by one). */
export async function eachBounded<T>(items: readonly T[], fn: (item: T) => Promise<void>, limit = 8): Promise<void> {
  const queue = [...items];
  await Promise.all(
    Array.from({ length: limit }, async () => {
      for (let item = queue.shift(); item !== undefined; item = queue.shift()) await fn(item);
    }),
  );
}
