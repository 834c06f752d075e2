/**
 * `/learning/points` 积分规则 (desktop): the point rules of the current organisation's subtree (points, daily cap,
 * on/off), the personal ranking switch (off by default), and the average points per organisation of the level below.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Flex, InputNumber, Switch, Table, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PointRuleConfig } from '../../../../shared/learning';
import {
  fetchOrgPoints,
  fetchPointRules,
  fetchRanking,
  LEARNING_KEY,
  savePointRules,
  setRanking,
} from '../../../api/learning';
import { EChart } from '../../../components/EChart';
import { QueryError } from '../../../components/QueryError';
import { useErrorText } from '../../../hooks/useErrorText';
import { useLearningOrg } from './useLearningOrg';

const RULES_KEY = [...LEARNING_KEY, 'rules'] as const;

export function RulesPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const qc = useQueryClient();
  const { orgId: orgKey, orgName = '' } = useLearningOrg();
  const orgId = orgKey ? Number(orgKey) : null;
  const rules = useQuery({
    queryKey: [...RULES_KEY, orgId],
    queryFn: () => fetchPointRules(orgId!),
    enabled: orgId !== null,
  });
  const ranking = useQuery({
    queryKey: [...RULES_KEY, 'ranking', orgId],
    queryFn: () => fetchRanking(orgId!),
    enabled: orgId !== null,
  });
  const averages = useQuery({
    queryKey: [...RULES_KEY, 'orgs', orgId],
    queryFn: () => fetchOrgPoints(orgId!),
    enabled: orgId !== null,
  });
  const [draft, setDraft] = useState<PointRuleConfig[]>([]);
  useEffect(() => setDraft(rules.data?.rules ?? []), [rules.data]);
  const save = useMutation({
    mutationFn: () => savePointRules(orgId!, draft),
    onSuccess: () => {
      void message.success(t('learning.rules.saved'));
      void qc.invalidateQueries({ queryKey: RULES_KEY });
    },
    onError: (e) => void message.error(errorText(e)),
  });
  const toggle = useMutation({
    mutationFn: (enabled: boolean) => setRanking(orgId!, enabled),
    onSuccess: () => void qc.invalidateQueries({ queryKey: RULES_KEY }),
    onError: (e) => void message.error(errorText(e)),
  });
  const patch = (i: number, p: Partial<PointRuleConfig>) =>
    setDraft((d) => d.map((r, k) => (k === i ? { ...r, ...p } : r)));
  const rows = averages.data?.items ?? [];
  return (
    <Flex vertical gap={16}>
      <Card
        title={`${t('learning.rules.title')} · ${orgName}`}
        extra={
          <Button type="primary" onClick={() => save.mutate()} loading={save.isPending} disabled={!draft.length}>
            {t('common.save')}
          </Button>
        }
      >
        {rules.error ? <QueryError error={rules.error} onRetry={() => void rules.refetch()} /> : null}
        <Table
          rowKey="rule"
          size="small"
          pagination={false}
          loading={rules.isLoading}
          dataSource={draft}
          columns={[
            { title: t('learning.rules.rule'), render: (_, r) => t(`learning.rule.${r.rule}`) },
            {
              title: t('learning.rules.points'),
              render: (_, r, i) => (
                <InputNumber min={0} max={100} value={r.points} onChange={(v) => patch(i, { points: v ?? 0 })} />
              ),
            },
            {
              title: t('learning.rules.cap'),
              render: (_, r, i) => (
                <InputNumber min={0} max={1000} value={r.dailyCap} onChange={(v) => patch(i, { dailyCap: v ?? 0 })} />
              ),
            },
            {
              title: t('learning.rules.unit'),
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
              render: (_, r, i) => <Switch checked={r.enabled} onChange={(v) => patch(i, { enabled: v })} />,
            },
          ]}
        />
      </Card>
      <Card title={t('learning.rules.ranking')}>
        <Flex gap={16} align="center">
          <Switch
            checked={ranking.data?.enabled ?? false}
            disabled={!ranking.data?.canSwitch}
            loading={toggle.isPending}
            onChange={(v) => toggle.mutate(v)}
            checkedChildren={t('learning.rules.rankingOn')}
            unCheckedChildren={t('learning.rules.rankingOff')}
          />
          <Typography.Text type="secondary">{t('learning.rules.rankingHint')}</Typography.Text>
        </Flex>
      </Card>
      <Card title={t('learning.rules.averages', { year: averages.data?.year ?? '' })}>
        {rows.length > 0 ? (
          <EChart
            height={Math.max(200, rows.length * 26 + 60)}
            option={{
              grid: { left: 220, right: 40, top: 10, bottom: 30 },
              tooltip: { trigger: 'axis' },
              xAxis: { type: 'value' },
              yAxis: { type: 'category', data: rows.map((r) => r.orgName), inverse: true },
              series: [
                {
                  type: 'bar',
                  data: rows.map((r) => Math.round(r.averagePoints * 10) / 10),
                  itemStyle: { color: '#c4161c' },
                  label: { show: true, position: 'right' },
                },
              ],
            }}
          />
        ) : null}
        <Table
          rowKey="orgId"
          size="small"
          loading={averages.isLoading}
          dataSource={rows}
          pagination={{ pageSize: 20, showSizeChanger: false }}
          columns={[
            { title: t('learning.rules.orgName'), dataIndex: 'orgName' },
            { title: t('learning.rules.memberCount'), dataIndex: 'members' },
            { title: t('learning.rules.total'), dataIndex: 'totalPoints' },
            {
              title: t('learning.rules.average'),
              render: (_, r) => (Math.round(r.averagePoints * 10) / 10).toFixed(1),
            },
          ]}
        />
      </Card>
    </Flex>
  );
}
