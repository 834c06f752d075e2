/**
 * The member drawer: every field, the posts, this year's training hours against the target, the change
 * history, and (with `member.reveal`) the full numbers: fetched on demand, audited by the server, kept in this
 * component's state only and gone when the drawer closes.
 */
import { EditOutlined, EyeInvisibleOutlined, EyeOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Descriptions,
  Drawer,
  Empty,
  Flex,
  Grid,
  Popconfirm,
  Progress,
  Skeleton,
  Space,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { todayInShanghai } from '../../../shared/dates';
import { accessFor } from '../../access';
import { fetchMember, fetchMemberHistory, MEMBERS_KEY, revealMember } from '../../api/members';
import { fetchTrainingLedger, TRAINING_KEY } from '../../api/staffing';
import type { Id, Member, MemberHistoryEntry, RevealedNumbers } from '../../api/types';
import { formatDate, formatDateTime } from '../../components/format';
import { CategoryTag, MemberStatusTag, PostTag, useMemberLabels } from '../../components/MemberTags';
import { QueryError } from '../../components/QueryError';
import { useErrorText } from '../../hooks/useErrorText';
import { useOrgs } from '../../hooks/useOrgs';
import { useSession } from '../../hooks/useSession';

interface Props {
  memberId: Id;
  onClose: () => void;
  onEdit: (member: Member) => void;
}

/** Field values of the history, in words: enums translated, org ids named, posts as "书记@org". */
function useHistoryValue() {
  const { t } = useTranslation();
  const { index } = useOrgs();
  const labels = useMemberLabels();
  const orgName = (id: string | number) => index.byId.get(String(id))?.name ?? `#${id}`;
  return (field: string, value: string | number | null): string => {
    if (value === null || value === '') return '—';
    switch (field) {
      case 'category':
        return t(`memberCategory.${value}`, { defaultValue: String(value) });
      case 'status':
        return t(`memberStatus.${value}`, { defaultValue: String(value) });
      case 'gender':
        return t(`gender.${value}`, { defaultValue: String(value) });
      case 'education':
        return labels.education(String(value));
      case 'ethnicity':
        return labels.ethnicity(String(value));
      case 'orgId':
        return orgName(value);
      case 'fullTime':
        return value ? t('members.drawer.fullTime') : t('members.drawer.partTime');
      case 'transferKind':
        return t(`transfers.kinds.${value}`, { defaultValue: String(value) });
      case 'post': {
        const [post, org] = String(value).split('@');
        const label = t(`partyPost.${post}`, { defaultValue: post ?? '' });
        return org ? `${label}（${orgName(org)}）` : label;
      }
      default:
        return String(value);
    }
  };
}

function HistoryTimeline({ items }: { items: MemberHistoryEntry[] }) {
  const { t, i18n } = useTranslation();
  const valueText = useHistoryValue();
  if (items.length === 0)
    return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('members.drawer.noHistory')} />;
  const fieldLabel = (field: string) => (i18n.exists(`members.fields.${field}`) ? t(`members.fields.${field}`) : field);
  return (
    <Timeline
      data-testid="member-history"
      items={items.map((entry) => ({
        key: String(entry.id),
        color: entry.action.startsWith('transfer') ? 'purple' : entry.action === 'create' ? 'green' : 'blue',
        content: (
          <div>
            <Space size={8} wrap>
              <Typography.Text strong>
                {t(`members.historyActions.${entry.action}`, { defaultValue: entry.action })}
              </Typography.Text>
              <Typography.Text type="secondary">
                {formatDateTime(entry.at)} · {entry.actor}
              </Typography.Text>
            </Space>
            {entry.changes.length > 0 ? (
              <ul className="history-changes">
                {entry.changes
                  .filter((change) => change.field !== 'transfer')
                  .map((change) => (
                    <li key={change.field}>
                      <Typography.Text type="secondary">{fieldLabel(change.field)}：</Typography.Text>
                      {change.from === null
                        ? valueText(change.field, change.to)
                        : t('members.drawer.changeFromTo', {
                            from: valueText(change.field, change.from),
                            to: valueText(change.field, change.to),
                          })}
                    </li>
                  ))}
              </ul>
            ) : null}
          </div>
        ),
      }))}
    />
  );
}

function TrainingSummary({ memberId }: { memberId: Id }) {
  const { t } = useTranslation();
  const year = Number(todayInShanghai().slice(0, 4));
  const ledger = useQuery({
    queryKey: [...TRAINING_KEY, 'ledger', String(memberId), year],
    queryFn: () => fetchTrainingLedger(memberId, year),
  });
  if (ledger.isLoading) return <Skeleton active paragraph={{ rows: 1 }} />;
  if (ledger.error) return <QueryError error={ledger.error} />;
  const row = ledger.data!;
  const percent = row.target > 0 ? Math.min(100, Math.round((row.hours / row.target) * 100)) : 100;
  return (
    <div data-testid="member-training">
      <Flex justify="space-between" wrap gap={8}>
        <span>{t('members.drawer.trainingProgress', { hours: row.hours, target: row.target })}</span>
        {row.behind ? (
          <Tag color="orange">{t('members.drawer.trainingBehind', { shortfall: row.shortfall })}</Tag>
        ) : (
          <Tag color="green">{t('members.drawer.trainingDone')}</Tag>
        )}
      </Flex>
      <Progress
        percent={percent}
        status={row.behind ? 'active' : 'success'}
        strokeColor={row.behind ? '#fa8c16' : undefined}
      />
    </div>
  );
}

export function MemberDrawer({ memberId, onClose, onEdit }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const { user } = useSession();
  const access = accessFor(user);
  const { index } = useOrgs();
  const phone = Grid.useBreakpoint().md === false;
  // Full numbers: this component's state only (never the query cache, never storage).
  const [revealed, setRevealed] = useState<RevealedNumbers | null>(null);
  const [revealing, setRevealing] = useState(false);
  const year = Number(todayInShanghai().slice(0, 4));

  const member = useQuery({
    queryKey: [...MEMBERS_KEY, 'detail', String(memberId)],
    queryFn: () => fetchMember(memberId),
  });
  const history = useQuery({
    queryKey: [...MEMBERS_KEY, 'history', String(memberId)],
    queryFn: () => fetchMemberHistory(memberId),
  });

  const reveal = async () => {
    setRevealing(true);
    try {
      setRevealed(await revealMember(memberId));
    } catch (error) {
      message.error(errorText(error));
    } finally {
      setRevealing(false);
    }
  };

  const m = member.data;
  const orgName = (id: Id) => index.byId.get(String(id))?.name ?? m?.orgName ?? String(id);
  const labels = useMemberLabels();

  return (
    <Drawer
      open
      onClose={onClose}
      size={phone ? '100%' : 680}
      title={m ? m.name : t('members.drawer.title')}
      data-testid="member-drawer"
      extra={
        m ? (
          <Space wrap>
            {access.canRevealMembers ? (
              revealed ? (
                <Button
                  icon={<EyeInvisibleOutlined />}
                  onClick={() => setRevealed(null)}
                  data-testid="btn-hide-numbers"
                >
                  {t('members.drawer.hide')}
                </Button>
              ) : (
                <Popconfirm
                  title={t('members.drawer.revealConfirm')}
                  okText={t('common.ok')}
                  cancelText={t('common.cancel')}
                  onConfirm={() => reveal()}
                >
                  <Button icon={<EyeOutlined />} loading={revealing} data-testid="btn-reveal">
                    {t('members.drawer.reveal')}
                  </Button>
                </Popconfirm>
              )
            ) : null}
            {access.canWriteMembers ? (
              <Button type="primary" icon={<EditOutlined />} onClick={() => onEdit(m)} data-testid="btn-edit-member">
                {t('members.drawer.edit')}
              </Button>
            ) : null}
          </Space>
        ) : null
      }
    >
      {member.isLoading ? <Skeleton active /> : null}
      {member.error ? <QueryError error={member.error} onRetry={() => void member.refetch()} /> : null}
      {m ? (
        <Space orientation="vertical" size={20} style={{ width: '100%' }}>
          {revealed ? (
            <Alert type="warning" showIcon title={t('members.drawer.revealedHint')} data-testid="reveal-hint" />
          ) : null}
          <Descriptions
            title={t('members.drawer.basic')}
            bordered
            size="small"
            column={{ xs: 1, sm: 2 }}
            items={[
              { key: 'name', label: t('members.fields.name'), children: m.name },
              { key: 'gender', label: t('members.fields.gender'), children: m.gender ? t(`gender.${m.gender}`) : '—' },
              { key: 'ethnicity', label: t('members.fields.ethnicity'), children: labels.ethnicity(m.ethnicity) },
              {
                key: 'birthDate',
                label: t('members.fields.birthDate'),
                children:
                  m.age === null
                    ? formatDate(m.birthDate)
                    : `${formatDate(m.birthDate)}（${t('members.yearsOld', { count: m.age })}）`,
              },
              {
                key: 'idNumber',
                label: t('members.fields.idNumber'),
                span: 'filled',
                children: (
                  <span className="masked-number" data-testid="member-id-number">
                    {revealed?.idNumber ?? m.idNumber ?? '—'}
                  </span>
                ),
              },
              {
                key: 'phone',
                label: t('members.fields.phone'),
                children: (
                  <span className="masked-number" data-testid="member-phone">
                    {revealed ? (revealed.phone ?? '—') : (m.phone ?? '—')}
                  </span>
                ),
              },
              { key: 'education', label: t('members.fields.education'), children: labels.education(m.education) },
              { key: 'unit', label: t('members.fields.unit'), children: m.unit || '—' },
              { key: 'title', label: t('members.fields.title'), children: m.title || '—' },
            ]}
          />
          <Descriptions
            title={t('members.drawer.party')}
            bordered
            size="small"
            column={{ xs: 1, sm: 2 }}
            items={[
              { key: 'org', label: t('members.fields.orgId'), span: 'filled', children: m.orgName },
              { key: 'category', label: t('members.fields.category'), children: <CategoryTag category={m.category} /> },
              { key: 'status', label: t('members.fields.status'), children: <MemberStatusTag status={m.status} /> },
              { key: 'joinedAt', label: t('members.fields.joinedAt'), children: formatDate(m.joinedAt) },
              { key: 'fullAt', label: t('members.fields.fullAt'), children: formatDate(m.fullAt) },
              {
                key: 'partyAge',
                label: t('members.fields.partyAge'),
                children: m.partyAge === null ? '—' : t('members.years', { count: m.partyAge }),
              },
            ]}
          />
          <div>
            <Typography.Title level={5}>{t('members.drawer.posts')}</Typography.Title>
            {m.posts.filter((post) => !post.endedAt).length === 0 ? (
              <Typography.Text type="secondary">{t('members.drawer.noPosts')}</Typography.Text>
            ) : (
              <Flex vertical gap={6} data-testid="member-posts">
                {m.posts
                  .filter((post) => !post.endedAt)
                  .map((post) => (
                    <Flex key={`${post.post}-${post.orgId}`} gap={8} align="center" wrap>
                      <PostTag post={post.post} fullTime={post.fullTime} />
                      <span>{orgName(post.orgId)}</span>
                      <Typography.Text type="secondary">
                        {t('members.drawer.since', { date: post.startedAt })}
                      </Typography.Text>
                    </Flex>
                  ))}
              </Flex>
            )}
          </div>
          <div>
            <Typography.Title level={5}>{t('members.drawer.training', { year })}</Typography.Title>
            <TrainingSummary memberId={m.id} />
          </div>
          <div>
            <Typography.Title level={5}>{t('members.drawer.history')}</Typography.Title>
            {history.isLoading ? <Skeleton active paragraph={{ rows: 2 }} /> : null}
            {history.error ? <QueryError error={history.error} onRetry={() => void history.refetch()} /> : null}
            {history.data ? <HistoryTimeline items={history.data} /> : null}
          </div>
        </Space>
      ) : null}
    </Drawer>
  );
}
