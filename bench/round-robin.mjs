// Spreading work over several equivalent endpoints (a cluster target's Riffle nodes): each call takes the next one.

/** A function that returns the items in turn, starting again after the last; throws on an empty list. */
export function roundRobin(items) {
  if (items.length === 0) throw new Error('roundRobin needs at least one item');
  let next = 0;
  return () => {
    const item = items[next];
    next = (next + 1) % items.length;
    return item;
  };
}
