/** `/security/policy`: passwords, lockout, session timeouts and TOTP requirements. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Col, Divider, Form, InputNumber, Row, Skeleton, Switch } from 'antd';
import { useTranslation } from 'react-i18next';
import { fetchPolicy, savePolicy } from '../../api/security';
import type { SecurityPolicy } from '../../api/types';
import { QueryError } from '../../components/QueryError';
import { showFieldError, useErrorText } from '../../hooks/useErrorText';

type NumberField = Exclude<keyof SecurityPolicy, 'totpRequiredForAdmins' | 'totpRequiredForAll'>;

const NUMBERS: { name: NumberField; min: number; max: number; section: 'password' | 'lockout' | 'session' }[] = [
  { name: 'passwordMinLength', min: 8, max: 64, section: 'password' },
  { name: 'passwordMinClasses', min: 1, max: 4, section: 'password' },
  { name: 'passwordMaxAgeDays', min: 0, max: 3650, section: 'password' },
  { name: 'lockoutThreshold', min: 1, max: 100, section: 'lockout' },
  { name: 'lockoutMinutes', min: 1, max: 1440, section: 'lockout' },
  { name: 'idleTimeoutMinutes', min: 1, max: 1440, section: 'session' },
  { name: 'absoluteTimeoutHours', min: 1, max: 168, section: 'session' },
];

const FIELDS: (keyof SecurityPolicy)[] = [
  ...NUMBERS.map((item) => item.name),
  'totpRequiredForAdmins',
  'totpRequiredForAll',
];

const HINTS: Partial<Record<NumberField, string>> = {
  passwordMinClasses: 'policy.passwordMinClassesHint',
  passwordMaxAgeDays: 'policy.passwordMaxAgeDaysHint',
};

export function PolicyPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const client = useQueryClient();
  const [form] = Form.useForm<SecurityPolicy>();
  const policy = useQuery({ queryKey: ['policy'], queryFn: fetchPolicy });
  const save = useMutation({
    mutationFn: savePolicy,
    onSuccess: async () => {
      message.success(t('common.saved'));
      await client.invalidateQueries({ queryKey: ['policy'] });
    },
    onError: (error) => {
      if (!showFieldError(form, error, FIELDS, errorText)) message.error(errorText(error));
    },
  });

  const numbers = (section: 'password' | 'lockout' | 'session') =>
    NUMBERS.filter((item) => item.section === section).map((item) => (
      <Col xs={24} sm={12} lg={8} key={item.name}>
        <Form.Item
          name={item.name}
          label={t(`policy.${item.name}`)}
          extra={HINTS[item.name] ? t(HINTS[item.name]!) : undefined}
          rules={[{ required: true, type: 'number', min: item.min, max: item.max }]}
        >
          <InputNumber min={item.min} max={item.max} precision={0} style={{ width: '100%' }} />
        </Form.Item>
      </Col>
    ));

  return (
    <Card title={t('policy.title')}>
      {policy.isLoading ? <Skeleton active /> : null}
      {policy.error ? <QueryError error={policy.error} onRetry={() => void policy.refetch()} /> : null}
      {policy.data ? (
        <Form<SecurityPolicy>
          form={form}
          layout="vertical"
          initialValues={policy.data}
          onFinish={(values) => save.mutate(values)}
          data-testid="policy-form"
        >
          <Divider titlePlacement="start">{t('policy.passwordSection')}</Divider>
          <Row gutter={16}>{numbers('password')}</Row>
          <Divider titlePlacement="start">{t('policy.lockoutSection')}</Divider>
          <Row gutter={16}>{numbers('lockout')}</Row>
          <Divider titlePlacement="start">{t('policy.sessionSection')}</Divider>
          <Row gutter={16}>{numbers('session')}</Row>
          <Divider titlePlacement="start">{t('policy.mfaSection')}</Divider>
          <Row gutter={16}>
            <Col xs={24} sm={12} lg={8}>
              <Form.Item name="totpRequiredForAdmins" label={t('policy.totpRequiredForAdmins')} valuePropName="checked">
                <Switch />
              </Form.Item>
            </Col>
            <Col xs={24} sm={12} lg={8}>
              <Form.Item name="totpRequiredForAll" label={t('policy.totpRequiredForAll')} valuePropName="checked">
                <Switch />
              </Form.Item>
            </Col>
          </Row>
          <Button type="primary" htmlType="submit" loading={save.isPending}>
            {t('common.save')}
          </Button>
        </Form>
      ) : null}
    </Card>
  );
}
