/**
 * `/staffing` 党务干部配备情况 for the header's current subtree: summary figures, the charts, and the table worst
 * first (the server's order: largest vacancy, then no full-time cadre). 编制 per row (`staffing.write`), the
 * org's cadres (posts) in a drawer, export to .xlsx.
 */
import { DownloadOutlined, EditOutlined, TeamOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { App, Button, Card, Col, Flex, Row, Skeleton, Space, Statistic, Table, Tag, Typography } from 'antd';
import { lazy, Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { accessFor } from '../../access';
import { saveFile } from '../../api/client';
import { exportStaffing, fetchStaffing, STAFFING_KEY } from '../../api/staffing';
import type { OrgKind, StaffingRow } from '../../api/types';
import { OrgKindTag } from '../../components/OrgTags';
import { QueryError } from '../../components/QueryError';
import { useCurrentOrg } from '../../hooks/useCurrentOrg';
import { useErrorText } from '../../hooks/useErrorText';
import { useOrgs } from '../../hooks/useOrgs';
import { useSession } from '../../hooks/useSession';
import { AuthorisedModal } from './AuthorisedModal';
import { OrgPostsDrawer } from './OrgPostsDrawer';

// ECharts is large: its chunk loads with the first chart, not with the app.
const StaffingCharts = lazy(() => import('./StaffingCharts').then((module) => ({ default: module.StaffingCharts })));

function percent(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}

export function StaffingPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const { user } = useSession();
  const access = accessFor(user);
  const { currentOrgId } = useCurrentOrg();
  const { index } = useOrgs();
  const org = currentOrgId ?? undefined;
  const [editing, setEditing] = useState<StaffingRow | null>(null);
  const [postsOf, setPostsOf] = useState<StaffingRow | null>(null);
  const [exporting, setExporting] = useState(false);
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);

  const view = useQuery({ queryKey: [...STAFFING_KEY, { org }], queryFn: () => fetchStaffing(org) });
  const scopeName = org ? (index.byId.get(org)?.name ?? org) : t('staffing.scopeAll');

  const download = async () => {
    setExporting(true);
    try {
      const file = await exportStaffing(org);
      saveFile(file);
      message.success(t('staffing.exported', { name: file.filename }));
    } catch (error) {
      message.error(errorText(error));
    } finally {
      setExporting(false);
    }
  };

  const summary = view.data?.summary;
  const orgOf = (row: StaffingRow) => index.byId.get(String(row.orgId));

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card
        title={t('staffing.title')}
        extra={
          <Button icon={<DownloadOutlined />} loading={exporting} onClick={download} data-testid="btn-export-staffing">
            {t('staffing.export')}
          </Button>
        }
      >
        <Typography.Paragraph type="secondary" style={{ marginTop: -8 }}>
          {t('staffing.scope', { name: scopeName })} · {t('staffing.order')}
        </Typography.Paragraph>
        {view.error ? <QueryError error={view.error} onRetry={() => void view.refetch()} /> : null}
        {view.isLoading ? <Skeleton active /> : null}
        {summary ? (
          <Row gutter={[16, 16]} data-testid="staffing-summary">
            <Col xs={12} md={8} xl={4}>
              <Statistic title={t('staffing.summary.orgs')} value={summary.orgs} />
            </Col>
            <Col xs={12} md={8} xl={5}>
              <Statistic
                title={t('staffing.summary.withoutFullTime')}
                value={summary.withoutFullTime}
                styles={{ content: { color: summary.withoutFullTime > 0 ? '#d4380d' : undefined } }}
                suffix={
                  <Typography.Text type="secondary" style={{ fontSize: 14 }}>
                    {t('staffing.summary.share', { share: percent(summary.shareWithoutFullTime) })}
                  </Typography.Text>
                }
              />
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t('staffing.summary.partTimeOnly', { count: summary.partTimeOnly })}
              </Typography.Text>
            </Col>
            <Col xs={12} md={8} xl={5}>
              <Statistic title={t('staffing.summary.authorised')} value={summary.authorised} />
            </Col>
            <Col xs={12} md={8} xl={5}>
              <Statistic title={t('staffing.summary.filled')} value={summary.filledFullTime} />
            </Col>
            <Col xs={12} md={8} xl={5}>
              <Statistic
                title={t('staffing.summary.vacant')}
                value={summary.vacant}
                styles={{ content: { color: summary.vacant > 0 ? '#c4161c' : undefined } }}
              />
            </Col>
          </Row>
        ) : null}
      </Card>
      {view.data && view.data.rows.length > 0 ? (
        <Suspense fallback={<Skeleton active />}>
          <StaffingCharts rows={view.data.rows} index={index} />
        </Suspense>
      ) : null}
      <Card>
        <Table<StaffingRow>
          data-testid="staffing-table"
          rowKey={(row) => String(row.orgId)}
          loading={view.isFetching}
          dataSource={view.data?.rows ?? []}
          size="middle"
          scroll={{ x: 1080 }}
          locale={{ emptyText: t('staffing.empty') }}
          pagination={{
            current: page,
            pageSize,
            showSizeChanger: true,
            showTotal: (total) => t('common.total', { total }),
            onChange: (nextPage, nextSize) => {
              setPage(nextSize === pageSize ? nextPage : 1);
              setPageSize(nextSize);
            },
          }}
          columns={[
            {
              key: 'org',
              title: t('staffing.columns.org'),
              render: (_, row) => {
                const org = orgOf(row);
                return (
                  <div>
                    <Flex gap={6} align="center" wrap>
                      <span data-testid="staffing-org">{row.orgName}</span>
                      <OrgKindTag org={org ?? { kind: row.kind as OrgKind, isJoint: false }} />
                    </Flex>
                    {row.parentName ? (
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {row.parentName}
                      </Typography.Text>
                    ) : null}
                  </div>
                );
              },
            },
            {
              key: 'authorised',
              title: t('staffing.columns.authorised'),
              width: 120,
              align: 'right',
              render: (_, row) => (
                <Space size={4}>
                  <span data-testid="staffing-authorised">{row.authorised}</span>
                  {access.canWriteStaffing ? (
                    <Button
                      type="link"
                      size="small"
                      icon={<EditOutlined />}
                      aria-label={t('staffing.editAuthorised')}
                      onClick={() => setEditing(row)}
                      data-testid="btn-edit-authorised"
                    />
                  ) : null}
                </Space>
              ),
            },
            {
              key: 'filledFullTime',
              title: t('staffing.columns.filledFullTime'),
              dataIndex: 'filledFullTime',
              width: 100,
              align: 'right',
            },
            {
              key: 'partTime',
              title: t('staffing.columns.partTime'),
              dataIndex: 'partTime',
              width: 90,
              align: 'right',
            },
            {
              key: 'vacant',
              title: t('staffing.columns.vacant'),
              width: 90,
              align: 'right',
              render: (_, row) => (
                <Typography.Text
                  strong={row.vacant > 0}
                  style={{ color: row.vacant > 0 ? '#c4161c' : undefined }}
                  data-testid="staffing-vacant"
                >
                  {row.vacant}
                </Typography.Text>
              ),
            },
            {
              key: 'flags',
              title: `${t('staffing.columns.noFullTime')} / ${t('staffing.columns.partTimeOnly')}`,
              width: 170,
              render: (_, row) => (
                <Flex gap={4} wrap>
                  {row.noFullTime ? <Tag color="red">{t('staffing.flags.noFullTime')}</Tag> : null}
                  {row.partTimeOnly ? <Tag color="orange">{t('staffing.flags.partTimeOnly')}</Tag> : null}
                  {!row.noFullTime && !row.partTimeOnly ? '—' : null}
                </Flex>
              ),
            },
            {
              key: 'actions',
              title: t('common.actions'),
              width: 100,
              render: (_, row) => (
                <Button
                  type="link"
                  size="small"
                  icon={<TeamOutlined />}
                  onClick={() => setPostsOf(row)}
                  data-testid="btn-org-posts"
                >
                  {t('staffing.posts')}
                </Button>
              ),
            },
          ]}
        />
      </Card>
      {editing ? <AuthorisedModal row={editing} onClose={() => setEditing(null)} /> : null}
      {postsOf ? <OrgPostsDrawer row={postsOf} onClose={() => setPostsOf(null)} /> : null}
    </Space>
  );
}
