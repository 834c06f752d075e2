/** 组织切换: picks the current organisation among the user's scope roots and everything below them. */
import { TreeSelect } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useCurrentOrg } from '../hooks/useCurrentOrg';
import { useOrgs } from '../hooks/useOrgs';
import { buildOrgTreeData } from './orgTreeData';

export function OrgSwitcher({ width = 280 }: { width?: number | string }) {
  const { t } = useTranslation();
  const { index, isLoading } = useOrgs();
  const { currentOrgId, setCurrentOrgId } = useCurrentOrg();
  const treeData = useMemo(() => buildOrgTreeData(index, index.roots), [index]);
  const known = currentOrgId !== null && index.byId.has(currentOrgId);

  return (
    <TreeSelect
      data-testid="org-switcher"
      style={{ width }}
      loading={isLoading}
      value={known ? currentOrgId : undefined}
      placeholder={t('header.orgSwitcherPlaceholder')}
      allowClear
      treeData={treeData}
      treeDefaultExpandedKeys={index.roots.map((org) => String(org.id))}
      showSearch={{ treeNodeFilterProp: 'title' }}
      popupMatchSelectWidth={false}
      styles={{ popup: { root: { maxWidth: 'min(420px, 96vw)' } } }}
      onChange={(value: string | undefined) => setCurrentOrgId(value ?? null)}
      aria-label={t('header.orgSwitcher')}
    />
  );
}
