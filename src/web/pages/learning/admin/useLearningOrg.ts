/** The organisation an admin page of 党建学习 works on: the header's 组织切换, else the first top of the caller's scope. */
import { useCurrentOrg } from '../../../hooks/useCurrentOrg';
import { useOrgs } from '../../../hooks/useOrgs';

export function useLearningOrg(): { orgId: number | null; orgName: string } {
  const { currentOrgId } = useCurrentOrg();
  const { index } = useOrgs();
  const org = currentOrgId ? index.byId.get(currentOrgId) : index.roots[0];
  return { orgId: org ? Number(org.id) : null, orgName: org?.name ?? '' };
}
