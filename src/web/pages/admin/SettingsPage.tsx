/** `/admin/settings`: platform name and default language. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Form, Input, Select, Skeleton } from 'antd';
import { useTranslation } from 'react-i18next';
import { fetchSettings, saveSettings } from '../../api/admin';
import type { PlatformSettings } from '../../api/types';
import { QueryError } from '../../components/QueryError';
import { showFieldError, useErrorText } from '../../hooks/useErrorText';
import { LANGUAGES } from '../../i18n';

export function SettingsPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const client = useQueryClient();
  const [form] = Form.useForm<PlatformSettings>();
  const settings = useQuery({ queryKey: ['settings'], queryFn: fetchSettings });
  const save = useMutation({
    mutationFn: saveSettings,
    onSuccess: async () => {
      message.success(t('common.saved'));
      await client.invalidateQueries({ queryKey: ['settings'] });
    },
    onError: (error) => {
      if (!showFieldError(form, error, ['platformName', 'defaultLocale'], errorText)) message.error(errorText(error));
    },
  });

  return (
    <Card title={t('settings.title')} style={{ maxWidth: 640 }}>
      {settings.isLoading ? <Skeleton active /> : null}
      {settings.error ? <QueryError error={settings.error} onRetry={() => void settings.refetch()} /> : null}
      {settings.data ? (
        <Form<PlatformSettings>
          form={form}
          layout="vertical"
          initialValues={settings.data}
          onFinish={(values) => save.mutate({ ...values, platformName: values.platformName.trim() })}
          data-testid="settings-form"
        >
          <Form.Item
            name="platformName"
            label={t('settings.platformName')}
            rules={[
              {
                required: true,
                whitespace: true,
                message: t('common.required', { field: t('settings.platformName') }),
              },
            ]}
          >
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item name="defaultLocale" label={t('settings.defaultLocale')} rules={[{ required: true }]}>
            <Select options={LANGUAGES.map((value) => ({ value, label: t(`lang.${value}`) }))} />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={save.isPending}>
            {t('common.save')}
          </Button>
        </Form>
      ) : null}
    </Card>
  );
}
