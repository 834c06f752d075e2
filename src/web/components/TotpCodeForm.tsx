/** A 6-digit TOTP code input with its submit button; shows the server's error under the field. */
import { Button, Form, Input } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useErrorText } from '../hooks/useErrorText';

interface Props {
  submitLabel: string;
  onSubmit: (code: string) => Promise<unknown>;
}

export function TotpCodeForm({ submitLabel, onSubmit }: Props) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const [form] = Form.useForm<{ code: string }>();
  const [busy, setBusy] = useState(false);

  const submit = async ({ code }: { code: string }) => {
    setBusy(true);
    try {
      await onSubmit(code);
    } catch (error) {
      form.setFields([{ name: 'code', errors: [errorText(error)], value: '' }]);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Form form={form} layout="vertical" onFinish={submit} requiredMark={false}>
      <Form.Item
        name="code"
        label={t('mfa.code')}
        rules={[{ required: true, pattern: /^\d{6}$/, message: t('mfa.codeRequired') }]}
      >
        <Input.OTP length={6} formatter={(value) => value.replace(/\D/g, '')} data-testid="totp-code" />
      </Form.Item>
      <Button type="primary" htmlType="submit" block loading={busy} data-testid="totp-submit">
        {submitLabel}
      </Button>
    </Form>
  );
}
