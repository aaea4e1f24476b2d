/** A stream or consumer status as the API names it (ACTIVE, CREATING, UPDATING, DELETING). */
export function StatusBadge({ status }: { status: string | undefined }) {
  const value = status ?? 'UNKNOWN';
  const tone = value === 'ACTIVE' ? 'ok' : value === 'DELETING' ? 'bad' : 'pending';
  return <span className={`status status-${tone}`}>{value === 'ACTIVE' ? 'Active' : value.charAt(0) + value.slice(1).toLowerCase()}</span>;
}
