/** JSON with bigints (hash keys) kept exact, written as {"$bigint": "<decimal>"} like the file store's journal. */
export function toBigintJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) => (typeof item === 'bigint' ? { $bigint: item.toString() } : item));
}

export function fromBigintJson<T>(text: string): T {
  return JSON.parse(text, (_key, item: unknown) => {
    if (item !== null && typeof item === 'object' && !Array.isArray(item)) {
      const keys = Object.keys(item);
      const digits = (item as { $bigint?: unknown }).$bigint;
      if (keys.length === 1 && typeof digits === 'string') return BigInt(digits);
    }
    return item;
  }) as T;
}
