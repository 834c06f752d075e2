/**
 * 我的会议: a member's upcoming meetings (their branch's and those they are invited to), as cards that read well
 * on a phone, and the personal .ics feed a phone calendar can subscribe to.
 */
import { CalendarOutlined, EnvironmentOutlined, LinkOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, App, Badge, Button, Card, Empty, Flex, List, Space, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { fetchCalendarLink, fetchUpcoming, MEETINGS_KEY } from '../../api/meetings';
import { formatDateTime } from '../../components/format';
import { QueryError } from '../../components/QueryError';
import { useErrorText } from '../../hooks/useErrorText';
import { STATUS_BADGE, TYPE_COLOR } from './meetingStyle';

export function MyMeetingsPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const query = useQuery({ queryKey: [...MEETINGS_KEY, 'upcoming'], queryFn: fetchUpcoming });
  const [link, setLink] = useState<{ absoluteUrl: string | null; expiresAt: string | null } | null>(null);

  async function showLink() {
    try {
      setLink(await fetchCalendarLink());
    } catch (error) {
      message.error(errorText(error));
    }
  }

  return (
    <Card
      title={t('meetings.mine')}
      extra={
        <Button icon={<LinkOutlined />} onClick={() => void showLink()} data-testid="ics-link-button">
          {t('meetings.subscribe')}
        </Button>
      }
      styles={{ body: { padding: 12 } }}
    >
      {link &&
        (link.absoluteUrl ? (
          <Alert
            type="info"
            showIcon
            style={{ marginBottom: 12 }}
            data-testid="ics-link"
            title={t('meetings.subscribeHint')}
            description={
              <Space direction="vertical" size={4} style={{ width: '100%' }}>
                <Typography.Text copyable style={{ wordBreak: 'break-all' }}>
                  {link.absoluteUrl}
                </Typography.Text>
                <Space wrap>
                  <Typography.Link href={link.absoluteUrl.replace(/^https?:/, 'webcal:')}>
                    {t('meetings.subscribeOpen')}
                  </Typography.Link>
                  {link.expiresAt && (
                    <Typography.Text type="secondary">
                      {t('meetings.qrHint', { time: formatDateTime(link.expiresAt) })}
                    </Typography.Text>
                  )}
                </Space>
              </Space>
            }
          />
        ) : (
          <Alert type="warning" showIcon style={{ marginBottom: 12 }} title={t('meetings.noMember')} />
        ))}
      {query.error ? (
        <QueryError error={query.error} onRetry={() => void query.refetch()} />
      ) : (
        <List
          loading={query.isLoading}
          dataSource={query.data?.items ?? []}
          data-testid="my-meetings"
          locale={{ emptyText: <Empty description={t('meetings.noUpcoming')} /> }}
          renderItem={(m) => {
            const start = dayjs(m.startsAt);
            return (
              <List.Item key={m.id} style={{ padding: '10px 4px' }} data-testid={`my-meeting-${m.id}`}>
                <Flex gap={12} align="flex-start" style={{ width: '100%', minWidth: 0 }}>
                  <div
                    style={{
                      flex: 'none',
                      width: 52,
                      textAlign: 'center',
                      borderRadius: 6,
                      border: `1px solid ${TYPE_COLOR[m.types[0] ?? 'theme_day']}`,
                      overflow: 'hidden',
                    }}
                  >
                    <div style={{ background: TYPE_COLOR[m.types[0] ?? 'theme_day'], color: '#fff', fontSize: 12 }}>
                      {start.format('M')}
                      {t('meetings.monthSuffix')}
                    </div>
                    <div style={{ fontSize: 20, fontWeight: 600, lineHeight: '30px' }}>{start.format('D')}</div>
                  </div>
                  <div style={{ minWidth: 0, flex: 1 }}>
                    <Typography.Text strong style={{ display: 'block', overflowWrap: 'anywhere' }}>
                      {m.title}
                    </Typography.Text>
                    <Space size={[4, 4]} wrap style={{ margin: '4px 0' }}>
                      {m.types.map((type) => (
                        <Tag key={type} color={TYPE_COLOR[type]} style={{ marginInlineEnd: 0 }}>
                          {t(`meetings.type.${type}`)}
                        </Tag>
                      ))}
                      <Badge status={STATUS_BADGE[m.status]} text={t(`meetings.status.${m.status}`)} />
                    </Space>
                    <Typography.Text type="secondary" style={{ display: 'block' }}>
                      <CalendarOutlined /> {start.format('YYYY-MM-DD ddd HH:mm')}–{dayjs(m.endsAt).format('HH:mm')}
                    </Typography.Text>
                    {m.location && (
                      <Typography.Text type="secondary" style={{ display: 'block', overflowWrap: 'anywhere' }}>
                        <EnvironmentOutlined /> {m.location}
                      </Typography.Text>
                    )}
                    <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
                      {m.orgName}
                    </Typography.Text>
                  </div>
                </Flex>
              </List.Item>
            );
          }}
        />
      )}
    </Card>
  );
}
