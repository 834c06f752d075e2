/**
 * 待办提醒: the branch secretary's to-do list: rule periods ending soon and not yet met, and those missed in the
 * last month, each with its reminder text and a shortcut to plan or record the meeting. Managers can also send the
 * reminders now (in-app and to the configured 企业微信 / 钉钉 group robots).
 */
import { BellOutlined, CalendarOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Empty, Flex, List, Select, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { accessFor } from '../../access';
import { COMPLIANCE_KEY, fetchTodo, runReminders } from '../../api/meetings';
import { QueryError } from '../../components/QueryError';
import { useErrorText } from '../../hooks/useErrorText';
import { useSession } from '../../hooks/useSession';
import { STATUS_COLOR } from './PeriodPicker';

export function TodoPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { user } = useSession();
  const canManage = accessFor(user).canManageCompliance;
  const [days, setDays] = useState(30);
  const [sending, setSending] = useState(false);
  const query = useQuery({ queryKey: [...COMPLIANCE_KEY, 'todo', days], queryFn: () => fetchTodo(days) });
  const items = query.data?.items ?? [];
  const missed = items.filter((i) => i.kind === 'missed').length;

  async function send() {
    setSending(true);
    try {
      const r = await runReminders(days);
      message.success(t('compliance.todoSent', { count: r.created }));
      await queryClient.invalidateQueries({ queryKey: [...COMPLIANCE_KEY, 'todo'] });
    } catch (error) {
      message.error(errorText(error));
    } finally {
      setSending(false);
    }
  }

  return (
    <Card
      title={
        <Space>
          {t('compliance.todoTitle')}
          {items.length > 0 && <Tag color={missed > 0 ? 'red' : 'orange'}>{items.length}</Tag>}
        </Space>
      }
      extra={
        <Space wrap>
          <Select<number>
            value={days}
            onChange={setDays}
            style={{ width: 150 }}
            data-testid="todo-days"
            options={[10, 30, 60, 90].map((d) => ({ value: d, label: t('compliance.todoDays', { days: d }) }))}
          />
          {canManage && (
            <Button icon={<BellOutlined />} loading={sending} onClick={() => void send()} data-testid="todo-send">
              {t('compliance.todoSend')}
            </Button>
          )}
        </Space>
      }
      styles={{ body: { padding: 12 } }}
    >
      {query.error ? (
        <QueryError error={query.error} onRetry={() => void query.refetch()} />
      ) : (
        <List
          loading={query.isLoading}
          dataSource={items}
          data-testid="todo-list"
          locale={{ emptyText: <Empty description={t('compliance.todoEmpty')} /> }}
          renderItem={(item) => (
            <List.Item
              key={`${item.orgId}-${item.type}-${item.period}`}
              data-testid="todo-item"
              data-kind={item.kind}
              style={{ padding: '10px 4px' }}
            >
              <Flex vertical gap={4} style={{ width: '100%', minWidth: 0 }}>
                <Space size={[6, 4]} wrap>
                  <Tag color={item.kind === 'missed' ? 'red' : 'orange'} style={{ marginInlineEnd: 0 }}>
                    {t(`compliance.todoKind.${item.kind}`)}
                  </Tag>
                  <Typography.Text strong>{t(`meetings.type.${item.type}`)}</Typography.Text>
                  <Typography.Text type="secondary">{item.period}</Typography.Text>
                  <Tag color={STATUS_COLOR[item.status]}>{t(`compliance.st.${item.status}`)}</Tag>
                  <Typography.Text type={item.daysLeft < 0 ? 'danger' : 'warning'}>
                    {item.daysLeft < 0
                      ? t('compliance.todoOverdue', { date: item.deadline })
                      : t('compliance.todoLeft', { days: item.daysLeft, date: item.deadline })}
                  </Typography.Text>
                </Space>
                <Typography.Text style={{ overflowWrap: 'anywhere' }}>{item.message}</Typography.Text>
                <Space wrap>
                  <Typography.Text type="secondary">{item.orgName}</Typography.Text>
                  <Button
                    size="small"
                    type="link"
                    icon={<CalendarOutlined />}
                    onClick={() =>
                      navigate(
                        `/meetings?org=${item.orgId}&type=${item.type}&view=calendar&month=${item.deadline.slice(0, 7)}`,
                      )
                    }
                  >
                    {t('compliance.todoPlan')}
                  </Button>
                </Space>
              </Flex>
            </List.Item>
          )}
        />
      )}
    </Card>
  );
}
