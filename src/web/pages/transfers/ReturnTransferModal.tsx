/** 退回: the receiving side returns a transfer with a reason; the member stays where they are. */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Form, Input, Modal } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { returnTransfer, TRANSFERS_KEY } from '../../api/transfers';
import type { TransferItem } from '../../api/types';
import { useErrorText } from '../../hooks/useErrorText';

export function ReturnTransferModal({ transfer, onClose }: { transfer: TransferItem; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const client = useQueryClient();
  const [form] = Form.useForm<{ reason: string }>();
  const [error, setError] = useState<string | null>(null);
  const save = useMutation({
    mutationFn: (reason: string) => returnTransfer(transfer.id, reason),
    onSuccess: async () => {
      message.success(t('transfers.returned'));
      await client.invalidateQueries({ queryKey: TRANSFERS_KEY });
      onClose();
    },
    onError: (caught) => setError(errorText(caught)),
  });
  return (
    <Modal
      open
      title={t('transfers.returnTitle', { name: transfer.memberName })}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('transfers.return')}
      cancelText={t('common.cancel')}
      okButtonProps={{ danger: true, loading: save.isPending }}
      destroyOnHidden
    >
      {error ? <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} /> : null}
      <Form
        form={form}
        layout="vertical"
        onFinish={(values) => {
          setError(null);
          save.mutate(values.reason.trim());
        }}
      >
        <Form.Item
          name="reason"
          label={t('transfers.returnReason')}
          rules={[{ required: true, whitespace: true, min: 2, max: 200 }]}
        >
          <Input.TextArea rows={3} maxLength={200} showCount data-testid="return-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
