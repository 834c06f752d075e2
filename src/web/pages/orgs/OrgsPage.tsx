/**
 * `/orgs`: the organisation tree (rooted at the header's current org) with the selected org's
 * details, and the 换届 alert list. Selection and tab live in the URL (`?sel=`, `?tab=`).
 */
import { Card, Col, Empty, Row, Skeleton, Tabs } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { accessFor } from '../../access';
import { QueryError } from '../../components/QueryError';
import { useCurrentOrg } from '../../hooks/useCurrentOrg';
import { subtreeIds, useOrgs } from '../../hooks/useOrgs';
import { useSession } from '../../hooks/useSession';
import { OrgDetail } from './OrgDetail';
import { OrgTreePanel } from './OrgTreePanel';
import { TermAlerts } from './TermAlerts';

/** On a phone the detail card sits below the tree: bring it into view after a pick. */
function revealDetailOnPhone() {
  if (window.matchMedia('(min-width: 768px)').matches) return;
  requestAnimationFrame(() =>
    document.querySelector('[data-testid="org-detail"]')?.scrollIntoView({ behavior: 'smooth', block: 'start' }),
  );
}

export function OrgsPage() {
  const { t } = useTranslation();
  const { user } = useSession();
  const canWrite = accessFor(user).canWriteOrgs;
  const { index, isLoading, error, refetch } = useOrgs();
  const { currentOrgId } = useCurrentOrg();
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') === 'terms' ? 'terms' : 'tree';
  const selectedId = params.get('sel');

  const currentRoot = currentOrgId ? index.byId.get(currentOrgId) : undefined;
  const roots = useMemo(() => (currentRoot ? [currentRoot] : index.roots), [currentRoot, index]);
  const within = useMemo(() => (currentRoot ? subtreeIds(index, currentRoot.id) : null), [currentRoot, index]);
  // Without a selection in the URL the top organisation is shown, so the page is never blank.
  const selected =
    (selectedId && (!within || within.has(selectedId)) ? index.byId.get(selectedId) : undefined) ?? roots[0];

  const update = (next: { tab?: string; sel?: string | null }) => {
    setParams(
      (current) => {
        const copy = new URLSearchParams(current);
        if (next.tab !== undefined) {
          if (next.tab === 'tree') copy.delete('tab');
          else copy.set('tab', next.tab);
        }
        if (next.sel !== undefined) {
          if (next.sel) copy.set('sel', next.sel);
          else copy.delete('sel');
        }
        return copy;
      },
      { replace: true },
    );
  };

  if (isLoading) return <Skeleton active />;
  if (error) return <QueryError error={error} onRetry={() => void refetch()} />;

  const treeTab = (
    <Row gutter={[16, 16]}>
      <Col xs={24} md={10} xl={9}>
        <Card size="small">
          <OrgTreePanel
            index={index}
            roots={roots}
            selectedId={selected ? String(selected.id) : null}
            onSelect={(id) => {
              update({ sel: id });
              revealDetailOnPhone();
            }}
          />
        </Card>
      </Col>
      <Col xs={24} md={14} xl={15}>
        {selected ? (
          <OrgDetail
            key={String(selected.id)}
            org={selected}
            index={index}
            canWrite={canWrite}
            onSelect={(id) => update({ sel: id })}
          />
        ) : (
          <Card>
            <Empty description={t('orgs.selectHint')} />
          </Card>
        )}
      </Col>
    </Row>
  );

  return (
    <Tabs
      activeKey={tab}
      onChange={(key) => update({ tab: key })}
      items={[
        { key: 'tree', label: t('orgs.treeTab'), children: treeTab },
        {
          key: 'terms',
          label: <span data-testid="tab-terms">{t('orgs.termTab')}</span>,
          children: <TermAlerts within={within} onLocate={(id) => update({ tab: 'tree', sel: id })} />,
        },
      ]}
    />
  );
}
