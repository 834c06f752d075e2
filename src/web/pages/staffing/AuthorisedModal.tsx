/** 编制: the authorised full-time party-affairs posts of one organisation (`staffing.write`, audited). */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, type ButtonProps, Form, InputNumber, Modal } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { STAFFING_KEY, setAuthorised } from '../../api/staffing';
import type { StaffingRow } from '../../api/types';
import { useErrorText } from '../../hooks/useErrorText';

export function AuthorisedModal({ row, onClose }: { row: StaffingRow; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const client = useQueryClient();
  const [form] = Form.useForm<{ authorised: number }>();
  const [error, setError] = useState<string | null>(null);
  const save = useMutation({
    mutationFn: (value: number) => setAuthorised(row.orgId, value),
    onSuccess: async () => {
      message.success(t('staffing.saved'));
      await client.invalidateQueries({ queryKey: STAFFING_KEY });
      onClose();
    },
    onError: (caught) => setError(errorText(caught)),
  });

  return (
    <Modal
      open
      title={t('staffing.editTitle', { name: row.orgName })}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      okButtonProps={{ loading: save.isPending, 'data-testid': 'authorised-submit' } as ButtonProps}
      destroyOnHidden
    >
      {error ? <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} /> : null}
      <Form
        form={form}
        layout="vertical"
        initialValues={{ authorised: row.authorised }}
        onFinish={(values) => {
          setError(null);
          save.mutate(values.authorised);
        }}
      >
        <Form.Item
          name="authorised"
          label={t('staffing.authorisedLabel')}
          extra={t('staffing.authorisedHint')}
          rules={[{ required: true, type: 'integer', min: 0, max: 50 }]}
        >
          <InputNumber min={0} max={50} precision={0} style={{ width: 160 }} data-testid="authorised-input" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
