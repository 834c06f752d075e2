/** The organisation an admin learning page works on: the header's 组织切换, else the caller's first scope root. */
import { useCurrentOrg } from '../../../hooks/useCurrentOrg';
import { useOrgs } from '../../../hooks/useOrgs';

export function useLearningOrg(): { orgId: string | undefined; orgName: string | undefined } {
  const { currentOrgId } = useCurrentOrg();
  const { index } = useOrgs();
  const orgId = currentOrgId ?? (index.roots[0] ? String(index.roots[0].id) : undefined);
  const org = orgId ? index.byId.get(orgId) : undefined;
  return { orgId, orgName: org?.name };
}
