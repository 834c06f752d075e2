/** The logged-in user (or null), shared through TanStack Query under one key. */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { fetchMe } from '../api/auth';
import type { SessionUser } from '../api/types';

export const SESSION_KEY = ['session'] as const;

export function useSession() {
  const query = useQuery({
    queryKey: SESSION_KEY,
    queryFn: fetchMe,
    staleTime: 60_000,
  });
  const client = useQueryClient();
  const setUser = useCallback((user: SessionUser | null) => client.setQueryData(SESSION_KEY, user), [client]);
  const refresh = useCallback(() => client.fetchQuery({ queryKey: SESSION_KEY, queryFn: fetchMe }), [client]);
  return { user: query.data ?? null, isLoading: query.isLoading, error: query.error, setUser, refresh };
}

/** Where the user has to go before the app proper, or null when the session is complete. */
export function pendingStep(user: SessionUser): '/login/mfa' | '/account/password' | null {
  if (user.mfa.pending) return '/login/mfa';
  if (user.mustChangePassword || user.passwordExpired) return '/account/password';
  return null;
}
