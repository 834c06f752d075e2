/**
 * The "current organisation" picked in the header's 组织切换: the default root of the org pages.
 * Kept in React state (seeded from `?org=` so a link can set it), never in storage.
 */
import { createContext, type ReactNode, useContext, useMemo, useState } from 'react';

interface CurrentOrgValue {
  currentOrgId: string | null;
  setCurrentOrgId: (id: string | null) => void;
}

const CurrentOrgContext = createContext<CurrentOrgValue>({ currentOrgId: null, setCurrentOrgId: () => {} });

export function CurrentOrgProvider({ children }: { children: ReactNode }) {
  const [currentOrgId, setCurrentOrgId] = useState<string | null>(() =>
    new URLSearchParams(window.location.search).get('org'),
  );
  const value = useMemo(() => ({ currentOrgId, setCurrentOrgId }), [currentOrgId]);
  return <CurrentOrgContext.Provider value={value}>{children}</CurrentOrgContext.Provider>;
}

export function useCurrentOrg(): CurrentOrgValue {
  return useContext(CurrentOrgContext);
}
