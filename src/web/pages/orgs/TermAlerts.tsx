/** 换届提醒: organisations whose term ends within the warning window or has ended. */
import { useQuery } from '@tanstack/react-query';
import { Button, Flex, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { fetchDueOrgs } from '../../api/orgs';
import type { Org } from '../../api/types';
import { formatDate } from '../../components/format';
import { OrgKindTag, TermStatusTag } from '../../components/OrgTags';
import { QueryError } from '../../components/QueryError';
import { ORGS_KEY } from '../../hooks/useOrgs';

interface Props {
  /** Only show organisations in these ids (the current org's subtree), or all when null. */
  within: Set<string> | null;
  onLocate: (id: string) => void;
}

export function TermAlerts({ within, onLocate }: Props) {
  const { t } = useTranslation();
  const due = useQuery({ queryKey: [...ORGS_KEY, 'due'], queryFn: fetchDueOrgs });
  if (due.error) return <QueryError error={due.error} onRetry={() => void due.refetch()} />;
  const rows = (due.data?.items ?? [])
    .filter((org) => !within || within.has(String(org.id)))
    .sort((a, b) => (a.termEnd ?? '').localeCompare(b.termEnd ?? ''));

  return (
    <div data-testid="term-alerts">
      <Typography.Paragraph type="secondary">{t('orgs.terms.hint')}</Typography.Paragraph>
      <Table<Org>
        rowKey={(org) => String(org.id)}
        loading={due.isLoading}
        dataSource={rows}
        size="middle"
        scroll={{ x: 640 }}
        locale={{ emptyText: t('orgs.terms.empty') }}
        pagination={{ pageSize: 20, showTotal: (total) => t('common.total', { total }), hideOnSinglePage: true }}
        columns={[
          {
            key: 'name',
            title: t('orgs.fields.name'),
            render: (_, org) => (
              <Flex gap={6} align="center" wrap>
                {org.name}
                <OrgKindTag org={org} />
              </Flex>
            ),
          },
          {
            key: 'termStart',
            title: t('orgs.fields.termStart'),
            render: (_, org) => formatDate(org.termStart),
            width: 130,
          },
          { key: 'termEnd', title: t('orgs.fields.termEnd'), render: (_, org) => formatDate(org.termEnd), width: 130 },
          {
            key: 'status',
            title: t('orgs.fields.termStatus'),
            render: (_, org) => <TermStatusTag status={org.termStatus} />,
            width: 120,
          },
          {
            key: 'actions',
            title: t('common.actions'),
            width: 90,
            render: (_, org) => (
              <Button type="link" size="small" onClick={() => onLocate(String(org.id))}>
                {t('orgs.terms.locate')}
              </Button>
            ),
          },
        ]}
      />
    </div>
  );
}
