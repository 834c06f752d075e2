/**
 * 规则与豁免: the rules in force for an organisation (per type: the platform default or the nearest override above),
 * the overrides on its chain (a manager adds one for a subtree from a 1 January, or deletes it), and the exemptions:
 * a branch requests one for a type and period with a reason; the level above approves or rejects it.
 */
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  App,
  Button,
  Card,
  Form,
  Input,
  InputNumber,
  Modal,
  Popconfirm,
  Segmented,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { FREQUENCIES, MEETING_TYPES, type MeetingType, QUORUM_RULES, RULE_TARGETS } from '../../../shared/meetings';
import { accessFor } from '../../access';
import {
  COMPLIANCE_KEY,
  createRule,
  decideExemption,
  deleteRule,
  type Exemption,
  fetchExemptions,
  fetchRules,
  type Rule,
  type RuleInput,
  requestExemption,
} from '../../api/meetings';
import { formatDateTime } from '../../components/format';
import { OrgTreeSelect } from '../../components/OrgTreeSelect';
import { QueryError } from '../../components/QueryError';
import { useCurrentOrg } from '../../hooks/useCurrentOrg';
import { useErrorText } from '../../hooks/useErrorText';
import { useOrgs } from '../../hooks/useOrgs';
import { useSession } from '../../hooks/useSession';
import { PeriodPicker, periodKey } from './PeriodPicker';

const EXEMPTION_COLOR = { pending: 'orange', approved: 'green', rejected: 'default' } as const;

export function RulesPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const queryClient = useQueryClient();
  const { currentOrgId } = useCurrentOrg();
  const { index } = useOrgs();
  const { user } = useSession();
  const access = accessFor(user);
  const [params, setParams] = useSearchParams();
  const org = params.get('org') ?? currentOrgId ?? (index.roots[0] ? String(index.roots[0].id) : undefined);
  const [year, setYear] = useState(dayjs().year());
  const [ruleOpen, setRuleOpen] = useState(false);
  const [exemptionOpen, setExemptionOpen] = useState(false);
  const [status, setStatus] = useState<Exemption['status'] | 'all'>('pending');
  const [ruleForm] = Form.useForm<RuleInput & { year: number }>();
  const [exForm] = Form.useForm<{ type: MeetingType; period: string; reason: string }>();

  const rules = useQuery({
    queryKey: [...COMPLIANCE_KEY, 'rules', org, year],
    queryFn: () => fetchRules(org!, `${year}-06-30`),
    enabled: !!org,
  });
  const exemptions = useQuery({
    queryKey: [...COMPLIANCE_KEY, 'exemptions', org, status],
    queryFn: () => fetchExemptions({ org, status: status === 'all' ? undefined : status, pageSize: 200 }),
    enabled: !!org,
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: COMPLIANCE_KEY });

  const setOrg = (v: string | undefined) =>
    v &&
    setParams((prev) => {
      const next = new URLSearchParams(prev);
      next.set('org', v);
      return next;
    });

  async function addRule() {
    const v = await ruleForm.validateFields();
    try {
      await createRule({
        orgId: Number(org),
        type: v.type,
        frequency: v.frequency,
        times: v.times,
        quorum: v.quorum,
        appliesTo: v.appliesTo,
        effectiveFrom: `${v.year}-01-01`,
      });
      message.success(t('compliance.ruleSaved'));
      setRuleOpen(false);
      await refresh();
    } catch (error) {
      message.error(errorText(error));
    }
  }

  async function removeRule(id: number) {
    try {
      await deleteRule(id);
      message.success(t('compliance.ruleDeleted'));
      await refresh();
    } catch (error) {
      message.error(errorText(error));
    }
  }

  async function askExemption() {
    const v = await exForm.validateFields();
    try {
      await requestExemption({ orgId: Number(org), type: v.type, period: v.period, reason: v.reason });
      message.success(t('compliance.exemptionRequested'));
      setExemptionOpen(false);
      setStatus('pending');
      await refresh();
    } catch (error) {
      message.error(errorText(error));
    }
  }

  async function decide(id: number, decision: 'approve' | 'reject') {
    try {
      await decideExemption(id, decision);
      message.success(t(decision === 'approve' ? 'compliance.exemptionApproved' : 'compliance.exemptionRejected'));
      await refresh();
    } catch (error) {
      message.error(errorText(error));
    }
  }

  const ruleColumns = [
    { title: t('compliance.type'), key: 'type', render: (_: unknown, r: Rule) => t(`meetings.type.${r.type}`) },
    {
      title: t('compliance.frequency'),
      key: 'freq',
      render: (_: unknown, r: Rule) =>
        t('compliance.freqTimes', { freq: t(`compliance.freq.${r.frequency}`), times: r.times }),
    },
    {
      title: t('compliance.quorum'),
      key: 'quorum',
      render: (_: unknown, r: Rule) => t(`compliance.quorumRule.${r.quorum}`),
    },
    {
      title: t('compliance.appliesTo'),
      key: 'applies',
      render: (_: unknown, r: Rule) => t(`compliance.target.${r.appliesTo}`, { defaultValue: r.appliesTo }),
    },
    {
      title: t('compliance.ruleSource'),
      key: 'source',
      render: (_: unknown, r: Rule) =>
        r.source === 'default' ? (
          <Tag>{t('compliance.ruleDefault')}</Tag>
        ) : (
          <Tag color="blue">{t('compliance.ruleOverride', { org: r.scopeOrgName ?? '' })}</Tag>
        ),
    },
    {
      title: t('compliance.effective'),
      key: 'eff',
      render: (_: unknown, r: Rule) => `${r.effectiveFrom} – ${r.effectiveTo ?? ''}`,
    },
  ];

  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Card
        title={t('compliance.rulesTitle')}
        extra={
          <Space wrap>
            <InputNumber
              min={2018}
              max={2100}
              value={year}
              onChange={(v) => v && setYear(v)}
              addonBefore={t('compliance.year')}
              style={{ width: 150 }}
            />
            {access.canManageCompliance && (
              <Button
                type="primary"
                icon={<PlusOutlined />}
                data-testid="rule-add"
                onClick={() => {
                  ruleForm.setFieldsValue({ year: dayjs().year() + 1, times: 1, quorum: 'none', appliesTo: 'branch' });
                  setRuleOpen(true);
                }}
              >
                {t('compliance.ruleAdd')}
              </Button>
            )}
          </Space>
        }
      >
        <div style={{ marginBottom: 12, maxWidth: 420 }}>
          <OrgTreeSelect value={org} onChange={setOrg} data-testid="rules-org" />
        </div>
        {rules.error ? (
          <QueryError error={rules.error} onRetry={() => void rules.refetch()} />
        ) : (
          <>
            <Table<Rule>
              size="small"
              rowKey={(r) => `${r.id}-${r.type}`}
              loading={rules.isLoading}
              dataSource={rules.data?.items ?? []}
              pagination={false}
              scroll={{ x: 'max-content' }}
              title={() => t('compliance.rulesInForce', { year })}
              data-testid="rules-table"
              columns={ruleColumns}
            />
            <Table<Rule>
              size="small"
              rowKey="id"
              loading={rules.isLoading}
              dataSource={rules.data?.overrides ?? []}
              pagination={false}
              scroll={{ x: 'max-content' }}
              style={{ marginTop: 16 }}
              title={() => t('compliance.overrides')}
              locale={{ emptyText: t('compliance.noOverrides') }}
              data-testid="overrides-table"
              columns={[
                ...ruleColumns,
                { title: t('compliance.createdBy'), dataIndex: 'createdBy', responsive: ['lg'] },
                {
                  title: '',
                  key: 'del',
                  render: (_: unknown, r: Rule) =>
                    access.canManageCompliance ? (
                      <Popconfirm title={t('compliance.ruleDeleteConfirm')} onConfirm={() => removeRule(r.id)}>
                        <Button size="small" danger icon={<DeleteOutlined />} aria-label={t('common.delete')} />
                      </Popconfirm>
                    ) : null,
                },
              ]}
            />
          </>
        )}
      </Card>
      <Card
        title={t('compliance.exemptionsTitle')}
        extra={
          <Space wrap>
            <Segmented<Exemption['status'] | 'all'>
              value={status}
              onChange={setStatus}
              options={(['pending', 'approved', 'rejected', 'all'] as const).map((s) => ({
                value: s,
                label: t(`compliance.exemption.${s}`),
              }))}
            />
            <Button
              icon={<PlusOutlined />}
              data-testid="exemption-request"
              onClick={() => {
                exForm.setFieldsValue({ period: periodKey('quarter', dayjs()) });
                setExemptionOpen(true);
              }}
            >
              {t('compliance.exemptionAdd')}
            </Button>
          </Space>
        }
      >
        {exemptions.error ? (
          <QueryError error={exemptions.error} onRetry={() => void exemptions.refetch()} />
        ) : (
          <Table<Exemption>
            size="small"
            rowKey="id"
            loading={exemptions.isLoading}
            dataSource={exemptions.data?.items ?? []}
            pagination={{ pageSize: 20, hideOnSinglePage: true }}
            scroll={{ x: 'max-content' }}
            data-testid="exemptions-table"
            locale={{ emptyText: t('compliance.noExemptions') }}
            columns={[
              { title: t('compliance.org'), dataIndex: 'orgName' },
              { title: t('compliance.type'), key: 'type', render: (_, r) => t(`meetings.type.${r.type}`) },
              { title: t('compliance.period'), dataIndex: 'period' },
              {
                title: t('compliance.reason'),
                dataIndex: 'reason',
                render: (v: string) => (
                  <Typography.Paragraph style={{ margin: 0, maxWidth: 420 }}>{v}</Typography.Paragraph>
                ),
              },
              {
                title: t('compliance.status'),
                key: 'status',
                render: (_, r) => <Tag color={EXEMPTION_COLOR[r.status]}>{t(`compliance.exemption.${r.status}`)}</Tag>,
              },
              {
                title: t('compliance.requested'),
                key: 'req',
                responsive: ['lg'],
                render: (_, r) => `${r.requestedBy} ${formatDateTime(r.requestedAt)}`,
              },
              {
                title: t('compliance.decided'),
                key: 'dec',
                responsive: ['lg'],
                render: (_, r) => (r.decidedBy ? `${r.decidedBy} ${formatDateTime(r.decidedAt!)}` : '—'),
              },
              {
                title: '',
                key: 'act',
                render: (_, r) =>
                  r.status === 'pending' && access.canManageCompliance ? (
                    <Space>
                      <Popconfirm title={t('compliance.approveConfirm')} onConfirm={() => decide(r.id, 'approve')}>
                        <Button size="small" type="primary" data-testid={`exemption-approve-${r.id}`}>
                          {t('compliance.approve')}
                        </Button>
                      </Popconfirm>
                      <Popconfirm title={t('compliance.rejectConfirm')} onConfirm={() => decide(r.id, 'reject')}>
                        <Button size="small" danger>
                          {t('compliance.reject')}
                        </Button>
                      </Popconfirm>
                    </Space>
                  ) : null,
              },
            ]}
          />
        )}
      </Card>
      <Modal
        open={ruleOpen}
        title={t('compliance.ruleAdd')}
        onCancel={() => setRuleOpen(false)}
        onOk={() => void addRule()}
        destroyOnHidden
      >
        <Typography.Paragraph type="secondary">
          {t('compliance.ruleHint', { org: org ? (index.byId.get(org)?.name ?? '') : '' })}
        </Typography.Paragraph>
        <Form form={ruleForm} layout="vertical" preserve={false}>
          <Form.Item name="type" label={t('compliance.type')} rules={[{ required: true }]}>
            <Select options={MEETING_TYPES.map((v) => ({ value: v, label: t(`meetings.type.${v}`) }))} />
          </Form.Item>
          <Space wrap>
            <Form.Item name="frequency" label={t('compliance.frequency')} rules={[{ required: true }]}>
              <Select
                style={{ width: 140 }}
                options={FREQUENCIES.map((v) => ({ value: v, label: t(`compliance.freq.${v}`) }))}
              />
            </Form.Item>
            <Form.Item name="times" label={t('compliance.times')} rules={[{ required: true }]}>
              <InputNumber min={1} max={31} />
            </Form.Item>
          </Space>
          <Form.Item name="quorum" label={t('compliance.quorum')} rules={[{ required: true }]}>
            <Select options={QUORUM_RULES.map((v) => ({ value: v, label: t(`compliance.quorumRule.${v}`) }))} />
          </Form.Item>
          <Form.Item name="appliesTo" label={t('compliance.appliesTo')} rules={[{ required: true }]}>
            <Select options={RULE_TARGETS.map((v) => ({ value: v, label: t(`compliance.target.${v}`) }))} />
          </Form.Item>
          <Form.Item name="year" label={t('compliance.effectiveFrom')} rules={[{ required: true }]}>
            <InputNumber min={2018} max={2100} addonAfter={t('compliance.jan1')} />
          </Form.Item>
        </Form>
      </Modal>
      <Modal
        open={exemptionOpen}
        title={t('compliance.exemptionAdd')}
        onCancel={() => setExemptionOpen(false)}
        onOk={() => void askExemption()}
        destroyOnHidden
      >
        <Typography.Paragraph type="secondary">
          {t('compliance.exemptionHint', { org: org ? (index.byId.get(org)?.name ?? '') : '' })}
        </Typography.Paragraph>
        <Form form={exForm} layout="vertical" preserve={false}>
          <Form.Item name="type" label={t('compliance.type')} rules={[{ required: true }]}>
            <Select options={MEETING_TYPES.map((v) => ({ value: v, label: t(`meetings.type.${v}`) }))} />
          </Form.Item>
          <Form.Item name="period" label={t('compliance.period')} rules={[{ required: true }]}>
            <PeriodPicker />
          </Form.Item>
          <Form.Item name="reason" label={t('compliance.reason')} rules={[{ required: true, min: 2, max: 500 }]}>
            <Input.TextArea rows={3} maxLength={500} showCount />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}
