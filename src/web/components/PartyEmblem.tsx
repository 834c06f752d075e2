/** The platform's mark: a red rounded square with a gold star (not the party emblem itself). */
export function PartyEmblem({ size = 32 }: { size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 48 48" aria-hidden="true" style={{ flexShrink: 0 }}>
      <rect width="48" height="48" rx="10" fill="#c4161c" />
      <path d="M24 9l4.1 9.3 10.1 1-7.6 6.8 2.2 9.9L24 30.9 15.2 36l2.2-9.9-7.6-6.8 10.1-1z" fill="#ffd666" />
    </svg>
  );
}
