/** Renders its page only when the route's access key holds for the current user; else 403. */
import type { ReactNode } from 'react';
import { type AccessKey, accessFor } from '../access';
import { useSession } from '../hooks/useSession';
import { Forbidden } from './Forbidden';

export function AccessGuard({ access, children }: { access?: AccessKey; children: ReactNode }) {
  const { user } = useSession();
  if (access && !accessFor(user)[access]) return <Forbidden />;
  return <>{children}</>;
}
