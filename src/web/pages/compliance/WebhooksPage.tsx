/**
 * 群机器人通知: per organisation, the 企业微信 or 钉钉 group robot that reminders are also delivered to. The server
 * returns the URL with its key masked; saving needs the full URL again (it is never shown back).
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Descriptions, Form, Input, Radio, Switch, Tag } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { COMPLIANCE_KEY, fetchWebhook, saveWebhook } from '../../api/meetings';
import { formatDateTime } from '../../components/format';
import { OrgTreeSelect } from '../../components/OrgTreeSelect';
import { QueryError } from '../../components/QueryError';
import { useCurrentOrg } from '../../hooks/useCurrentOrg';
import { useErrorText } from '../../hooks/useErrorText';
import { useOrgs } from '../../hooks/useOrgs';

interface Values {
  kind: 'wecom' | 'dingtalk';
  url: string;
  enabled: boolean;
}

export function WebhooksPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const queryClient = useQueryClient();
  const { currentOrgId } = useCurrentOrg();
  const { index } = useOrgs();
  const [params, setParams] = useSearchParams();
  const org = params.get('org') ?? currentOrgId ?? (index.roots[0] ? String(index.roots[0].id) : undefined);
  const [form] = Form.useForm<Values>();
  const query = useQuery({
    queryKey: [...COMPLIANCE_KEY, 'webhook', org],
    queryFn: () => fetchWebhook(org!),
    enabled: !!org,
  });
  const hook = query.data;

  useEffect(() => {
    form.setFieldsValue({ kind: hook?.kind ?? 'wecom', url: '', enabled: hook ? hook.enabled || !hook.kind : true });
  }, [hook, form]);

  async function save() {
    const v = await form.validateFields();
    try {
      await saveWebhook(org!, v);
      message.success(t('compliance.webhookSaved'));
      await queryClient.invalidateQueries({ queryKey: [...COMPLIANCE_KEY, 'webhook', org] });
    } catch (error) {
      message.error(errorText(error));
    }
  }

  return (
    <Card title={t('compliance.webhooksTitle')}>
      <div style={{ marginBottom: 12, maxWidth: 420 }}>
        <OrgTreeSelect
          value={org}
          onChange={(v) =>
            v &&
            setParams((prev) => {
              const next = new URLSearchParams(prev);
              next.set('org', v);
              return next;
            })
          }
          data-testid="webhook-org"
        />
      </div>
      <Alert type="info" showIcon style={{ marginBottom: 16 }} title={t('compliance.webhookHint')} />
      {query.error ? (
        <QueryError error={query.error} onRetry={() => void query.refetch()} />
      ) : (
        <>
          <Descriptions size="small" column={1} bordered style={{ marginBottom: 16, maxWidth: 720 }}>
            <Descriptions.Item label={t('compliance.webhookCurrent')}>
              {hook?.kind ? (
                <span data-testid="webhook-current">
                  <Tag color={hook.enabled ? 'green' : 'default'}>
                    {t(`compliance.webhookKind.${hook.kind}`)} ·{' '}
                    {hook.enabled ? t('compliance.on') : t('compliance.off')}
                  </Tag>
                  <code style={{ wordBreak: 'break-all' }}>{hook.url}</code>
                </span>
              ) : (
                t('compliance.webhookNone')
              )}
            </Descriptions.Item>
            {hook?.updatedAt && (
              <Descriptions.Item label={t('compliance.updatedAt')}>{formatDateTime(hook.updatedAt)}</Descriptions.Item>
            )}
          </Descriptions>
          <Form form={form} layout="vertical" style={{ maxWidth: 720 }} disabled={!org}>
            <Form.Item name="kind" label={t('compliance.webhookType')} rules={[{ required: true }]}>
              <Radio.Group
                optionType="button"
                options={(['wecom', 'dingtalk'] as const).map((k) => ({
                  value: k,
                  label: t(`compliance.webhookKind.${k}`),
                }))}
              />
            </Form.Item>
            <Form.Item
              name="url"
              label={t('compliance.webhookUrl')}
              rules={[{ required: true, type: 'url', message: t('compliance.webhookUrlInvalid') }]}
            >
              <Input
                placeholder="https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…"
                maxLength={1000}
                data-testid="webhook-url"
                autoComplete="off"
              />
            </Form.Item>
            <Form.Item name="enabled" label={t('compliance.webhookEnabled')} valuePropName="checked">
              <Switch />
            </Form.Item>
            <Button type="primary" onClick={() => void save()} data-testid="webhook-save">
              {t('common.save')}
            </Button>
          </Form>
        </>
      )}
    </Card>
  );
}
