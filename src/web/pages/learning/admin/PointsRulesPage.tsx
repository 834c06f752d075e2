/**
 * `/learning/points` 积分规则: the chosen organisation's point rules (points, daily cap, unit, on/off), the personal
 * ranking switch (off by default; applies to the organisation's subtree) and the average points per organisation.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Flex, InputNumber, Skeleton, Switch, Table, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  fetchOrgPoints,
  fetchPointRules,
  fetchRanking,
  LEARNING_KEY,
  type OrgPointsRow,
  type PointRuleConfig,
  savePointRules,
  setRanking,
} from '../../../api/learning';
import { QueryError } from '../../../components/QueryError';
import { useErrorText } from '../../../hooks/useErrorText';
import { useLearningOrg } from './useLearningOrg';

export function PointsRulesPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const client = useQueryClient();
  const { orgId, orgName } = useLearningOrg();
  const rules = useQuery({
    queryKey: [...LEARNING_KEY, 'rules', orgId ?? null],
    queryFn: () => fetchPointRules(orgId),
    enabled: orgId !== undefined,
  });
  const ranking = useQuery({
    queryKey: [...LEARNING_KEY, 'ranking', orgId ?? null],
    queryFn: () => fetchRanking(orgId),
    enabled: orgId !== undefined,
  });
  const averages = useQuery({
    queryKey: [...LEARNING_KEY, 'org-points', orgId ?? null],
    queryFn: () => fetchOrgPoints(orgId),
    enabled: orgId !== undefined,
  });
  const [draft, setDraft] = useState<PointRuleConfig[]>([]);
  useEffect(() => {
    if (rules.data) setDraft(rules.data.rules);
  }, [rules.data]);
  const save = useMutation({
    mutationFn: () => savePointRules(orgId ?? '', draft),
    onSuccess: () => {
      message.success(t('learning.rules.saved'));
      void client.invalidateQueries({ queryKey: LEARNING_KEY });
    },
    onError: (e) => message.error(errorText(e)),
  });
  const toggle = useMutation({
    mutationFn: (enabled: boolean) => setRanking(orgId ?? '', enabled),
    onSuccess: () => void client.invalidateQueries({ queryKey: LEARNING_KEY }),
    onError: (e) => message.error(errorText(e)),
  });
  const patch = (i: number, change: Partial<PointRuleConfig>) =>
    setDraft((prev) => prev.map((r, n) => (n === i ? { ...r, ...change } : r)));

  if (rules.error) return <QueryError error={rules.error} onRetry={() => void rules.refetch()} />;
  if (!rules.data) return <Skeleton active />;
  return (
    <Flex vertical gap={16}>
      <Card
        title={`${t('learning.rules.title')}${orgName ? ` · ${orgName}` : ''}`}
        extra={
          <Button type="primary" loading={save.isPending} onClick={() => save.mutate()}>
            {t('common.save')}
          </Button>
        }
      >
        <Table<PointRuleConfig>
          rowKey="rule"
          size="small"
          pagination={false}
          dataSource={draft}
          columns={[
            {
              title: t('learning.rules.rule'),
              dataIndex: 'rule',
              render: (r: PointRuleConfig['rule']) => t(`learning.rule.${r}`),
            },
            {
              title: t('learning.rules.points'),
              key: 'points',
              render: (_, r, i) => (
                <InputNumber min={0} max={100} value={r.points} onChange={(v) => patch(i, { points: v ?? 0 })} />
              ),
            },
            {
              title: t('learning.rules.cap'),
              key: 'cap',
              render: (_, r, i) => (
                <InputNumber min={0} max={1000} value={r.dailyCap} onChange={(v) => patch(i, { dailyCap: v ?? 0 })} />
              ),
            },
            {
              title: t('learning.rules.unit'),
              key: 'unit',
              render: (_, r, i) =>
                r.rule === 'study_time' ? (
                  <InputNumber
                    min={1}
                    max={600}
                    value={r.unitMinutes}
                    onChange={(v) => patch(i, { unitMinutes: v ?? 1 })}
                  />
                ) : (
                  '—'
                ),
            },
            {
              title: t('learning.rules.enabled'),
              key: 'enabled',
              render: (_, r, i) => <Switch checked={r.enabled} onChange={(on) => patch(i, { enabled: on })} />,
            },
          ]}
        />
      </Card>
      <Card title={t('learning.rules.ranking')}>
        <Flex gap={12} align="center">
          <Switch
            checked={ranking.data?.enabled ?? false}
            loading={ranking.isLoading || toggle.isPending}
            disabled={!ranking.data?.canSwitch}
            onChange={(on) => toggle.mutate(on)}
            checkedChildren={t('learning.rules.rankingOn')}
            unCheckedChildren={t('learning.rules.rankingOff')}
            data-testid="ranking-switch"
          />
          <Typography.Text type="secondary">{t('learning.rules.rankingHint')}</Typography.Text>
        </Flex>
      </Card>
      <Card title={t('learning.rules.averages', { year: averages.data?.year ?? '' })}>
        <Table<OrgPointsRow>
          rowKey="orgId"
          size="small"
          loading={averages.isLoading}
          dataSource={averages.data?.items ?? []}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          columns={[
            { title: t('learning.rules.orgName'), dataIndex: 'orgName' },
            { title: t('learning.rules.memberCount'), dataIndex: 'members', width: 120 },
            { title: t('learning.rules.total'), dataIndex: 'totalPoints', width: 120 },
            {
              title: t('learning.rules.average'),
              dataIndex: 'averagePoints',
              width: 120,
              render: (v: number) => (Math.round(v * 10) / 10).toFixed(1),
            },
          ]}
        />
      </Card>
    </Flex>
  );
}
